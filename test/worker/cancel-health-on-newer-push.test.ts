// CancelHealthCheckOnNewRevision through the whole pipeline: commit A's Deployment never gets
// ready, and while A's sync waits for it, commit B is pushed. A's wait ends within seconds of
// B's request (not at A's timeout), nothing more of A is applied, A is recorded as superseded
// (OutOfSync, its commit status `failure`, no retry and no Sync Failed event), and B, the next
// job in the target's FIFO group, then syncs. Flux's kustomize-controller with the feature gate
// on does the same: the Kustomization's health check is cancelled and the new revision applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveColor, liveConfigMap, startPipeline, webApp, webDeployment, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const APP_FILE = 'apps/web/config.yaml';
/** A's invocation: long enough that its own timeout (most of it) could never be what ended its wait. */
const INVOCATION_MS = 180_000;

let pipeline: Pipeline;
let first: string;

beforeAll(async () => {
  pipeline = await startPipeline();
  first = await pipeline.repo.commit({ ...webRegistry(), ...webApp('blue') });
  await pipeline.push(EMPTY, first, { added: [...Object.keys(webRegistry()), ...Object.keys(webApp('blue'))] });
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first && (await pipeline.queueDepth()) === 0);
}, 60_000);
afterAll(() => pipeline?.stop());

/** Commit A: the Deployment's new generation (3 replicas) never becomes ready, and a wave-1 ConfigMap waits behind it. */
function stuckApp(color: string): Record<string, string> {
  const files = webApp(color);
  files['apps/web/deploy.yaml'] = webDeployment(3).replace(
    'metadata: { name: web }',
    'metadata: { name: web, annotations: { sandbox.driftless.io/never-ready: "true" } }',
  );
  files['apps/web/later.yaml'] =
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-later\n  annotations: { argocd.argoproj.io/sync-wave: "1" }\ndata: { color: ${color} }\n`;
  return files;
}

async function until(done: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a push while the previous commit waits for health', () => {
  it('cancels the wait within seconds, records the older commit as superseded, and syncs the newer one', async () => {
    const a = await pipeline.repo.commit(stuckApp('amber'));
    const statusesBefore = pipeline.github.statuses.length;
    const eventsBefore = pipeline.eventBridge.entries.length;
    pipeline.sandbox.requests.clear();
    expect((await pipeline.push(first, a, { modified: [APP_FILE, 'apps/web/deploy.yaml'], added: ['apps/web/later.yaml'] })).statusCode).toBe(202);

    // A's sync runs in the background; its first wave is applied and it waits for the Deployment.
    // Waits out a receive the setup's worker may have had under way when it stopped (the message comes back after the visibility timeout).
    const running = pipeline.workOnce(5, INVOCATION_MS);
    await until(async () => (await liveColor(pipeline)) === 'amber', 30_000, "A's first wave");
    await new Promise((resolve) => setTimeout(resolve, 500));

    const b = await pipeline.repo.commit({ ...webApp('black'), 'apps/web/later.yaml': null });
    const pushedAt = Date.now();
    expect((await pipeline.push(a, b, { modified: [APP_FILE, 'apps/web/deploy.yaml'], removed: ['apps/web/later.yaml'] })).statusCode).toBe(202);

    const handled = await running;
    const cancelledAfterMs = Date.now() - pushedAt;
    // A's job is done with (no retry: nothing failed); B's job is all that is left.
    expect(handled?.event.Records).toHaveLength(1);
    expect(handled?.response?.batchItemFailures ?? []).toEqual([]);
    expect(await pipeline.queueDepth()).toBe(1);
    // A's own timeout was minutes away: only the cancellation could end the wait this soon.
    expect(cancelledAfterMs).toBeLessThan(INVOCATION_MS / 6);

    const superseded = await pipeline.store.getTarget('web', 'sandbox');
    const message = `health check cancelled: ${a.slice(0, 7)} superseded by ${b.slice(0, 7)}`;
    expect(superseded).toMatchObject({ syncStatus: 'OutOfSync', message, revision: first, requestedRevision: b });
    // Nothing after the cancelled wait was applied.
    expect(await liveConfigMap(pipeline, 'shop', 'web-later')).toBeUndefined();

    await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === b && (await pipeline.queueDepth()) === 0);
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ revision: b, syncStatus: 'Synced', health: 'Healthy' });
    expect(await liveColor(pipeline)).toBe('black');

    const history = await pipeline.store.listHistory('web', 'sandbox', 10);
    expect(history.map((entry) => [entry.revision, entry.status, entry.status === 'OutOfSync' ? entry.message : ''])).toEqual([
      [b, 'Synced', ''],
      [a, 'OutOfSync', message],
      [first, 'Synced', ''],
    ]);
    const statuses = pipeline.github.statuses.slice(statusesBefore).filter((status) => status.context === 'driftless/web@sandbox');
    expect(statuses.map((status) => [status.sha, status.state])).toEqual([
      [a, 'pending'],
      [a, 'failure'],
      [b, 'pending'],
      [b, 'success'],
    ]);
    expect(statuses[1].description).toBe(`superseded by ${b.slice(0, 7)} while waiting for health: health check cancelled`);
    const events = pipeline.eventBridge.entries.slice(eventsBefore).map((entry) => [entry.DetailType, JSON.parse(entry.Detail ?? '{}').revision]);
    expect(events).toEqual([
      ['Sync Started', a],
      ['Sync Started', b],
      ['Sync Succeeded', b],
    ]);
    // A's second wave never reached the API server.
    const writes = pipeline.sandbox.requests.entries().filter((request) => ['PATCH', 'PUT', 'POST'].includes(request.method));
    expect(writes.filter((request) => request.path.includes('web-later'))).toEqual([]);
  });
});
