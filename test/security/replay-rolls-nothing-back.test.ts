// Issue 12, items 4 and 15, through the real webhook, SQS and worker handlers. The signature
// covers a push's body, not its delivery id: a captured body re-posted under a new id is a
// replay. Within the dedupe window the webhook knows the body; past it (SQS's five minutes,
// our TTL) the worker refuses to apply a revision older than the applied one, for the app and
// for the registry, so nothing rolls back. A push naming a commit that does not exist is bad
// input, said once, never retried.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { replayKey } from '../../shared/webhook/intake.ts';
import { drainCapturing } from '../support/drain-capturing.ts';
import { GITHUB_TOKEN, liveColor, pushPayload, sandboxWrites, startPipeline, webApp, WEBHOOK_SECRET, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

const API_APP = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: api, namespace: argocd }
spec:
  project: default
  source: { repoURL: https://github.com/acme/gitops.git, targetRevision: main, path: apps/api }
  destination: { name: sandbox, namespace: shop }
  syncPolicy: { automated: {} }
`;

let pipeline: Pipeline;
let a: string;
let b: string;
let payloadA: Record<string, unknown>;
const logged: string[] = [];

/** Runs the worker on one receive at a time until the queue is empty, capturing what it prints; the receive counts seen. */
function drain(): Promise<string[]> {
  return drainCapturing(pipeline, logged, 20);
}

beforeAll(async () => {
  pipeline = await startPipeline({ maxReceiveCount: 3, visibilityTimeoutSeconds: 1 });
  const filesA = { ...webRegistry(), ...webApp('blue') };
  a = await pipeline.repo.commit(filesA);
  payloadA = pushPayload(EMPTY, a, { added: Object.keys(filesA) });
  expect((await pipeline.deliver('push', payloadA)).statusCode).toBe(202);
  await drain();
  expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ revision: a, syncStatus: 'Synced' });

  // B changes the app and adds one to the registry.
  const filesB = {
    ...webApp('green'),
    'driftless/api.yaml': API_APP,
    'apps/api/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: api-config }\ndata: { k: v }\n',
  };
  b = await pipeline.repo.commit(filesB);
  expect((await pipeline.push(a, b, { added: ['driftless/api.yaml', 'apps/api/config.yaml'], modified: ['apps/web/config.yaml'] })).statusCode).toBe(202);
  await drain();
  expect(await liveColor(pipeline)).toBe('green');
  expect((await pipeline.store.getRegistry())?.revision).toBe(b);
}, 120_000);
afterAll(() => pipeline?.stop());

describe('a captured push body posted again under a new delivery id', () => {
  it('is known by its body within the dedupe window: nothing queued, nothing requested', async () => {
    const seqBefore = (await pipeline.store.getTarget('web', 'sandbox'))?.requestSeq;
    const replay = await pipeline.deliver('push', payloadA, { 'X-GitHub-Delivery': randomUUID() });
    expect(replay).toMatchObject({
      statusCode: 200,
      body: { message: expect.stringMatching(/repeats the body of a delivery already handled: not queued again \(a replay\)/) },
    });
    expect(replay.body.targets).toBeUndefined();
    expect(await pipeline.queueDepth()).toBe(0);
    expect((await pipeline.store.getTarget('web', 'sandbox'))?.requestSeq).toBe(seqBefore);
  });
});

describe('a signed config push naming a commit that does not exist', () => {
  it('is bad input: a failure status, the registry unchanged, no retry, nothing in the dead-letter queue', async () => {
    const phantom = 'd'.repeat(40);
    const logsBefore = logged.length;
    const push = await pipeline.deliver('push', pushPayload(b, phantom, { modified: ['driftless/web.yaml'] }));
    expect(push).toMatchObject({ statusCode: 202, body: { registryRefresh: true } });
    expect(await drain()).toEqual(['registry-refresh#1']);
    expect(await pipeline.queueDepth()).toBe(0);
    expect(await pipeline.queueDepth(pipeline.services.dlqUrl)).toBe(0);
    expect((await pipeline.store.getRegistry())?.revision).toBe(b);
    const statuses = pipeline.github.statuses.filter((status) => status.sha === phantom);
    expect(statuses.map((status) => [status.context, status.state])).toEqual([['driftless/registry', 'failure']]);
    expect(statuses[0].description).toMatch(new RegExp(`^registry not read: revision "${phantom}" not found in https://github.com/acme/gitops.git`));
    expect(logged.slice(logsBefore).join('')).toContain('registry refresh refused: bad input');
  });
});

describe('the same body posted again past every deduplication window', () => {
  it('a week later, rolls back neither the app nor the registry: refused in the worker, once, nothing applied', async () => {
    // A week on: DynamoDB's TTL has deleted what the webhook remembered of the body (deleted here
    // as it would be), and the clock is past SQS's five-minute deduplication. Only the worker
    // stands between the replay and the cluster.
    await pipeline.store.forgetDelivery(replayKey(JSON.stringify(payloadA)));
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(Date.now() + 8 * 24 * 3600 * 1000);
    try {
      await replayedAWeekLater();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a force push (a new head that is not a descendant of the applied one)', () => {
  it('still goes ahead: only a revision already in the applied history is stale', async () => {
    await pipeline.repo.git('checkout', '--quiet', '-b', 'rewrite', a);
    const forced = await pipeline.repo.commit(webApp('violet'));
    const payload = { ...pushPayload(b, forced, { modified: ['apps/web/config.yaml'] }), forced: true };
    expect((await pipeline.deliver('push', payload)).statusCode).toBe(202);
    await drain();
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ revision: forced, syncStatus: 'Synced' });
    expect(await liveColor(pipeline)).toBe('violet');
  });
});

async function replayedAWeekLater(): Promise<void> {
  pipeline.sandbox.requests.clear();
  const statusesBefore = pipeline.github.statuses.length;
  const eventsBefore = pipeline.eventBridge.entries.length;
  const logsBefore = logged.length;

  const replay = await pipeline.deliver('push', payloadA, { 'X-GitHub-Delivery': randomUUID() });
  expect(replay).toMatchObject({ statusCode: 202, body: { targets: ['web@sandbox'], registryRefresh: true, revision: a } });
  const receives = await drain();
  expect(receives.sort()).toEqual(['registry-refresh#1', 'sync#1']);
  expect(await pipeline.queueDepth()).toBe(0);
  expect(await pipeline.queueDepth(pipeline.services.dlqUrl)).toBe(0);

  // The app: still B in the cluster and in the state, the refusal recorded, the request taken back.
  expect(await liveColor(pipeline)).toBe('green');
  const target = await pipeline.store.getTarget('web', 'sandbox');
  expect(target).toMatchObject({ revision: b, requestedRevision: b, syncStatus: 'Synced' });
  expect(target?.message).toBe(`revision ${a.slice(0, 7)} is older than the applied ${b.slice(0, 7)}: not applied (a replayed or out-of-order push)`);
  // No sync ran: the newest history entry is still B's.
  expect((await pipeline.store.listHistory('web', 'sandbox', 10))[0].revision).toBe(b);

  // The registry: still B's, the app B added still in it.
  const registry = await pipeline.store.getRegistry();
  expect(registry?.revision).toBe(b);
  expect(registry?.registry.apps.map((app) => app.name).sort()).toEqual(['api', 'web']);

  // Nothing written to the cluster, posted, or emitted; the log says why, and carries no secret.
  expect(sandboxWrites(pipeline)).toEqual([]);
  expect(pipeline.github.statuses.slice(statusesBefore)).toEqual([]);
  expect(pipeline.eventBridge.entries.slice(eventsBefore)).toEqual([]);
  const said = logged.slice(logsBefore).join('');
  expect(said).toContain(`push refused: revision ${a.slice(0, 7)} is older than the applied ${b.slice(0, 7)}`);
  expect(said).toContain(`registry refresh refused: revision ${a.slice(0, 7)} is older than the applied ${b.slice(0, 7)}`);
  expect(said).not.toContain(GITHUB_TOKEN);
  expect(said).not.toContain(WEBHOOK_SECRET);
}
