// The soak's verdicts, on evidence written by hand: each bucket and each must-be-zero check is
// shown to catch what it names, so a clean soak means something.
import { describe, expect, it } from 'vitest';
import { checkSoak, type SoakEvidence, type SoakPush } from '../../bench/support/soak-check.ts';
import type { PostedStatus } from '../../bench/support/soak-workers.ts';
import type { LoggedRequest } from '../../local/sandbox/index.ts';
import type { HistoryEntry } from '../../shared/state/types.ts';

const sha = (n: number) => String(n).padStart(2, '0').repeat(20);
const INITIAL = sha(99);

function push(n: number, app = 'app-00'): SoakPush {
  return { push: n, app, sha: sha(n), webhookStatus: 202, deliveries: 1 };
}

let seq = 0;
function status(n: number, state: PostedStatus['state'], app = 'app-00', description = 'x'): PostedStatus {
  return { seq: ++seq, state, app, cluster: 'local', shaPrefix: sha(n).slice(0, 12), description, pid: 1 };
}

function request(fields: Partial<LoggedRequest>): LoggedRequest {
  return { seq: ++seq, time: '', method: 'PATCH', verb: 'patch', path: '', query: {}, bodySize: 0, status: 200, ...fields };
}

function stateApply(namespace: string, pushNumber: number, code = 200): LoggedRequest {
  return request({ resource: 'configmaps', namespace, name: 'soak-state', status: code, body: { data: { push: String(pushNumber) } } });
}

function synced(n: number, finishedAt: string): HistoryEntry {
  return {
    app: 'app-00',
    cluster: 'local',
    id: String(n),
    revision: sha(n),
    status: 'Synced',
    health: 'Healthy',
    message: '',
    startedAt: finishedAt,
    finishedAt,
    durationMs: 1,
    counts: {},
  };
}

/** One app whose pushes 0 and 1 both applied, live and recorded at 1: a clean run. */
function clean(): SoakEvidence {
  return {
    apps: ['app-00'],
    initialSha: INITIAL,
    pushes: [push(0), push(1)],
    statuses: [status(0, 'pending', 'app-00', 'Syncing'), status(0, 'success'), status(1, 'pending', 'app-00', 'Syncing'), status(1, 'success')],
    deadLetters: [],
    history: new Map([['app-00', [synced(1, '2026-01-01T00:00:02.000Z'), synced(0, '2026-01-01T00:00:01.000Z')]]]),
    targets: new Map([['app-00', { app: 'app-00', cluster: 'local', revision: sha(1) }]]),
    requests: [stateApply('app-00', 0, 201), stateApply('app-00', 1)],
    live: new Map([['app-00', 1]]),
  };
}

describe('checkSoak', () => {
  it('finds nothing wrong in a clean run', () => {
    const figures = checkSoak(clean());
    expect(figures).toMatchObject({
      buckets: { applied: 2, superseded: 0, failed: 0, 'dead-lettered': 0, lost: 0 },
      outOfOrder: { cluster: 0, history: 0 },
      leftBehind: 0,
      duplicateCreates: 0,
      leftPending: 0,
    });
    expect(figures.problems).toEqual([]);
  });

  it('counts a push with no outcome and nothing newer as lost', () => {
    const evidence = clean();
    evidence.pushes.push(push(2));
    const figures = checkSoak(evidence);
    expect(figures.buckets.lost).toBe(1);
    expect(figures.problems).toEqual([expect.stringMatching(/^push 2 \(app-00 0202020\) lost/)]);
  });

  it('counts a stood-down push as superseded when a newer one applied, and a pending status left on it', () => {
    const evidence = clean();
    evidence.pushes = [push(0), push(1), push(2)];
    evidence.statuses = [status(1, 'pending', 'app-00', 'Syncing'), status(2, 'pending', 'app-00', 'Syncing'), status(2, 'success')];
    evidence.targets.set('app-00', { app: 'app-00', cluster: 'local', revision: sha(2) });
    evidence.live.set('app-00', 2);
    evidence.history.set('app-00', [synced(2, '2026-01-01T00:00:03.000Z')]);
    const figures = checkSoak(evidence);
    expect(figures.buckets).toMatchObject({ applied: 1, superseded: 2, lost: 0 });
    expect(figures).toMatchObject({ leftPending: 1, leftPendingAfter: { syncing: 1, retrying: 0 } });
  });

  it('accepts a dead-lettered push only with a failure or error status as its last', () => {
    const evidence = clean();
    evidence.pushes.push(push(2), push(3, 'app-01'));
    evidence.apps.push('app-01');
    evidence.live.set('app-01', -1);
    evidence.targets.set('app-01', { app: 'app-01', cluster: 'local', revision: INITIAL });
    evidence.deadLetters = [
      { app: 'app-00', revision: sha(2) },
      { app: 'app-01', revision: sha(3) },
    ];
    evidence.statuses.push(status(2, 'pending', 'app-00', 'Syncing'), status(2, 'error'), status(3, 'pending', 'app-01', 'Syncing'));
    const figures = checkSoak(evidence);
    expect(figures.buckets).toMatchObject({ 'dead-lettered': 1, lost: 1 });
    expect(figures.deadLetteredWithStatus).toBe(1);
    expect(figures.problems).toEqual([expect.stringMatching(/^push 3 \(app-01 0303030\) is in the dead-letter queue without a failure status/)]);
  });

  it('catches an older push applied after a newer one, in the request log and in the history', () => {
    const evidence = clean();
    evidence.requests.push(stateApply('app-00', 0), stateApply('app-00', 1, 409));
    evidence.history.set('app-00', [synced(0, '2026-01-01T00:00:03.000Z'), synced(1, '2026-01-01T00:00:02.000Z')]);
    expect(checkSoak(evidence).outOfOrder).toEqual({ cluster: 1, history: 1 });
  });

  it('catches a target left on an older push than its newest success, live or recorded', () => {
    const live = clean();
    live.live.set('app-00', 0);
    expect(checkSoak(live).leftBehind).toBe(1);
    const recorded = clean();
    recorded.targets.set('app-00', { app: 'app-00', cluster: 'local', revision: sha(0) });
    expect(checkSoak(recorded).leftBehind).toBe(1);
  });

  it('counts a second create of one object without a delete between, not a create after a delete', () => {
    const evidence = clean();
    const job = { group: 'batch', resource: 'jobs', namespace: 'app-00', name: 'migrate' };
    evidence.requests.push(
      request({ ...job, status: 201 }),
      request({ ...job, method: 'DELETE', verb: 'delete', status: 200 }),
      request({ ...job, status: 201 }),
      request({ ...job, status: 201, query: { dryRun: 'All' } }),
    );
    expect(checkSoak(evidence).duplicateCreates).toBe(0);
    evidence.requests.push(request({ ...job, method: 'POST', verb: 'create', name: undefined, body: { metadata: { name: 'migrate' } }, status: 201 }));
    const figures = checkSoak(evidence);
    expect(figures.duplicateCreates).toBe(1);
    expect(figures.problems).toEqual([expect.stringMatching(/^batch\/jobs app-00\/migrate created twice/)]);
  });
});
