// The rollout step policy, case by case. What must hold comes from the issue and Argo CD's
// Progressive Syncs: a step is done only when every target of it is Synced and Healthy at ITS
// rollout commit (Argo CD #29410 moved on on status of an older commit); a failed or Degraded
// target halts; at most maxUpdate sync at once (0: none, the step waits for hand syncs); then the
// gates: the soak counts from healthySince, the alarms must be OK (ALARM halts,
// INSUFFICIENT_DATA waits, an unknown alarm halts); promote skips the step's gates only.
import { describe, expect, it } from 'vitest';
import type { RollingSyncStep } from '../../shared/appset/types.ts';
import { decideStep, RECHECK_MS, SAFETY_RECHECK_MS, type AlarmState, type StepInput, type StepTarget } from '../../shared/rollout/decide.ts';

const SHA = 'a'.repeat(40);
const OLD = 'b'.repeat(40);
const NOW = new Date('2026-12-01T12:00:00.000Z');

type State = NonNullable<StepTarget['state']>;
/** Never touched by this rollout: Synced and Healthy at the old commit. */
const atOld: State = { requestedRevision: OLD, requestSeq: 3, appliedSeq: 3, revision: OLD, syncStatus: 'Synced', health: 'Healthy' };
/** Requested at the rollout's commit, its sync not ended yet (the old commit's result still on it). */
const underWay: State = { ...atOld, requestedRevision: SHA, requestSeq: 4 };
const done: State = { requestedRevision: SHA, requestSeq: 4, appliedSeq: 4, revision: SHA, syncStatus: 'Synced', health: 'Healthy' };
const failed: State = { ...atOld, requestedRevision: SHA, requestSeq: 4, appliedSeq: 4, syncStatus: 'Failed', health: 'Unknown' };
const degraded: State = { ...done, health: 'Degraded' };
const progressing: State = { ...done, health: 'Progressing' };

function target(cluster: string, state?: State): StepTarget {
  return { app: `guestbook-${cluster}`, cluster, revision: SHA, state };
}

const step: RollingSyncStep = { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] };

function input(targets: StepTarget[], overrides: Partial<StepInput> & { stepSpec?: Partial<RollingSyncStep> } = {}): StepInput {
  const { stepSpec, ...rest } = overrides;
  return { state: { step: 0 }, step: { ...step, ...stepSpec }, targets, now: NOW, ...rest };
}

const names = (targets: StepTarget[]) => targets.map((entry) => entry.cluster);

describe('syncing a step', () => {
  it.each([
    ['every target at once without maxUpdate', undefined, [target('a'), target('b'), target('c')], ['a', 'b', 'c']],
    ['maxUpdate 1: the next one only once none is under way', 1, [target('a', underWay), target('b'), target('c')], []],
    ['maxUpdate 1 with the first done', 1, [target('a', done), target('b'), target('c')], ['b']],
    ['maxUpdate 50% of 4: two at once', '50%', [target('a'), target('b'), target('c'), target('d')], ['a', 'b']],
    ['maxUpdate 10% of 3 is floored at one', '10%', [target('a'), target('b'), target('c')], ['a']],
    ['maxUpdate 2 counts a target synced but not Healthy yet', 2, [target('a', progressing), target('b'), target('c')], ['b']],
    ['maxUpdate 0: none', 0, [target('a'), target('b')], []],
  ] as const)('%s', (_name, maxUpdate, targets, started) => {
    const decision = decideStep(input([...targets], { stepSpec: { maxUpdate } }));
    expect(decision.kind).toBe('sync');
    if (decision.kind === 'sync') expect(names(decision.start)).toEqual(started);
  });

  it('maxUpdate 0 waits for hand syncs and looks again soon (no sync end will wake it)', () => {
    expect(decideStep(input([target('a'), target('b')], { stepSpec: { maxUpdate: 0 } }))).toMatchObject({
      kind: 'sync',
      start: [],
      recheckMs: RECHECK_MS,
      reason: expect.stringContaining('synced by hand'),
    });
  });

  it('while syncs are under way, their ends wake the rollout: the re-check is only a safety net', () => {
    expect(decideStep(input([target('a', underWay), target('b', done)]))).toMatchObject({ kind: 'sync', start: [], recheckMs: SAFETY_RECHECK_MS });
  });
});

describe('held targets', () => {
  it.each([
    ['suspended', { ...atOld, suspended: true }],
    ['pinned by a rollback', { ...atOld, pinnedRevision: OLD }],
  ] as const)('a %s target is not started: the step waits for it to be resumed, and looks again soon', (_what, state) => {
    expect(decideStep(input([target('a', state), target('b')]))).toMatchObject({
      kind: 'sync',
      start: [{ cluster: 'b' }],
      reason: 'guestbook-a@a suspended or pinned: the step waits for driftless resume',
    });
    expect(decideStep(input([target('a', state), target('b', done)]))).toMatchObject({ kind: 'sync', start: [], recheckMs: RECHECK_MS });
  });
});

describe('done only at the rollout commit (Argo CD #29410)', () => {
  it('a target Synced and Healthy at an older commit is started, not counted done', () => {
    const decision = decideStep(input([target('a', atOld)]));
    expect(decision).toMatchObject({ kind: 'sync' });
    if (decision.kind === 'sync') expect(names(decision.start)).toEqual(['a']);
  });

  it('a target requested at the commit but still Healthy at the old one holds the step', () => {
    expect(decideStep(input([target('a', underWay), target('b', done)]))).toMatchObject({ kind: 'sync', start: [], underWay: [{ cluster: 'a' }] });
  });

  it("an older sync's failure on a target requested anew does not halt: its new sync has not ended", () => {
    const oldFailure: State = { ...failed, requestSeq: 5, appliedSeq: 4 };
    expect(decideStep(input([target('a', oldFailure)]))).toMatchObject({ kind: 'sync', start: [], underWay: [{ cluster: 'a' }] });
  });

  it('every target Synced and Healthy at the commit: the step is done', () => {
    expect(decideStep(input([target('a', done), target('b', done)]))).toEqual({ kind: 'next' });
  });

  it('a step none of whose targets changed is done at once', () => {
    expect(decideStep(input([], { stepSpec: { soakMs: 60_000, alarms: ['api-5xx'] } }))).toEqual({ kind: 'next' });
  });
});

describe('halting', () => {
  it.each([
    ['failed to sync', failed, 'guestbook-a@a failed to sync at aaaaaaa'],
    ['is Degraded', degraded, 'guestbook-a@a is Degraded at aaaaaaa'],
  ])('a target that %s halts the rollout, named', (_what, state, reason) => {
    expect(decideStep(input([target('b', done), target('a', state), target('c')]))).toEqual({ kind: 'halt', reason, by: target('a', state) });
  });

  it('a target that turns Degraded during the soak halts', () => {
    const healthySince = new Date(NOW.getTime() - 10_000).toISOString();
    expect(decideStep(input([target('a', degraded)], { state: { step: 0, healthySince }, stepSpec: { soakMs: 60_000 } }))).toMatchObject({ kind: 'halt' });
  });
});

describe('soak gate', () => {
  const soak = { soakMs: 60_000 };

  it('starts when every target is first Healthy: healthySince is now, woken when the soak is over', () => {
    expect(decideStep(input([target('a', done)], { stepSpec: soak }))).toEqual({
      kind: 'gate',
      reason: 'soak: 1m left',
      healthySince: NOW.toISOString(),
      wakeInMs: 60_000,
    });
  });

  it('counts from healthySince', () => {
    const healthySince = new Date(NOW.getTime() - 45_000).toISOString();
    expect(decideStep(input([target('a', done)], { state: { step: 0, healthySince }, stepSpec: soak }))).toEqual({
      kind: 'gate',
      reason: 'soak: 15s left',
      healthySince,
      wakeInMs: 15_000,
    });
  });

  it('passes once healthy for soakMs', () => {
    const healthySince = new Date(NOW.getTime() - 60_000).toISOString();
    expect(decideStep(input([target('a', done)], { state: { step: 0, healthySince }, stepSpec: soak }))).toEqual({ kind: 'next' });
  });

  it('a target no longer Healthy (Progressing) sends the step back to waiting for health: the soak starts over', () => {
    const healthySince = new Date(NOW.getTime() - 50_000).toISOString();
    expect(decideStep(input([target('a', progressing), target('b', done)], { state: { step: 0, healthySince }, stepSpec: soak }))).toMatchObject({
      kind: 'sync',
      start: [],
      recheckMs: RECHECK_MS,
    });
  });

  it('promote skips the soak of the step it was given for', () => {
    expect(decideStep(input([target('a', done)], { state: { step: 0, promoted: 0 }, stepSpec: soak }))).toEqual({ kind: 'next' });
  });

  it('promote of an earlier step skips nothing here', () => {
    expect(decideStep(input([target('a', done)], { state: { step: 1, promoted: 0 }, stepSpec: soak }))).toMatchObject({ kind: 'gate' });
  });

  it('promote never skips health', () => {
    expect(decideStep(input([target('a', underWay)], { state: { step: 0, promoted: 0 }, stepSpec: soak }))).toMatchObject({ kind: 'sync' });
  });
});

describe('alarm gate', () => {
  const alarms = { alarms: ['api-5xx', 'latency'] };
  const read = (states: Record<string, AlarmState>) => new Map(Object.entries(states));

  it("asks for the step's alarms once every target is done", () => {
    expect(decideStep(input([target('a', done)], { stepSpec: alarms }))).toEqual({
      kind: 'read-alarms',
      names: ['api-5xx', 'latency'],
      healthySince: NOW.toISOString(),
    });
  });

  it.each([
    ['all OK passes', { 'api-5xx': 'OK', latency: 'OK' }, { kind: 'next' }],
    ['ALARM halts', { 'api-5xx': 'OK', latency: 'ALARM' }, { kind: 'halt', reason: 'alarm latency is ALARM' }],
    [
      'INSUFFICIENT_DATA waits and is checked again',
      { 'api-5xx': 'INSUFFICIENT_DATA', latency: 'OK' },
      { kind: 'gate', reason: 'alarm api-5xx is INSUFFICIENT_DATA', healthySince: NOW.toISOString(), wakeInMs: RECHECK_MS },
    ],
    ['an alarm CloudWatch does not know halts', { 'api-5xx': 'OK' }, { kind: 'halt', reason: expect.stringContaining('alarm latency does not exist') }],
  ] as const)('%s', (_name, states, expected) => {
    expect(decideStep(input([target('a', done)], { stepSpec: alarms, alarms: read(states as Record<string, AlarmState>) }))).toEqual(expected);
  });

  it('the soak comes first: alarms are not read while it lasts', () => {
    expect(decideStep(input([target('a', done)], { stepSpec: { ...alarms, soakMs: 60_000 } }))).toMatchObject({ kind: 'gate', reason: 'soak: 1m left' });
  });

  it('promote skips the alarms too', () => {
    expect(decideStep(input([target('a', done)], { state: { step: 0, promoted: 0 }, stepSpec: alarms }))).toEqual({ kind: 'next' });
  });
});
