// While another worker holds the lease on web@sandbox, a job for it applies nothing: the
// message goes back to the queue as a batch item failure and comes round again; once the
// lease is released the same job syncs the commit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveColor, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const TARGET = { app: 'web', cluster: 'sandbox' };
const OTHER_WORKER = 'another-worker-container';

let pipeline: Pipeline;
let first: string;

beforeAll(async () => {
  pipeline = await startPipeline({ visibilityTimeoutSeconds: 1 });
  first = await pipeline.repo.commit({ ...webRegistry(), ...webApp('blue') });
  await pipeline.push(EMPTY, first, { added: [...Object.keys(webRegistry()), ...Object.keys(webApp('blue'))] });
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first);
  expect(await pipeline.queueDepth()).toBe(0);
});
afterAll(() => pipeline?.stop());

describe('a lease held by another worker', () => {
  it('makes the job wait and retry instead of applying, and the sync goes through once it is released', async () => {
    expect(await pipeline.store.acquireLease(TARGET, OTHER_WORKER, 5 * 60_000)).toBe(true);
    const second = await pipeline.repo.commit(webApp('green'));
    const response = await pipeline.push(first, second, { modified: ['apps/web/config.yaml'] });
    expect(response.body.targets).toEqual(['web@sandbox']);
    pipeline.sandbox.requests.clear();
    const statusesBefore = pipeline.github.statuses.length;
    const eventsBefore = pipeline.eventBridge.entries.length;

    // Two deliveries of the job while the lease is held: each is handed back, nothing applied.
    // (Receive counts are compared, not fixed: the long poll `work` abandoned in beforeAll may
    // still have taken the message once on the server's side.)
    const receiveCounts: number[] = [];
    for (const attempt of [1, 2]) {
      const round = await pipeline.workOnce(3);
      expect(round, `delivery ${attempt} of the job`).toBeDefined();
      const [record] = round!.event.Records;
      expect(JSON.parse(record.body)).toMatchObject({ app: 'web', cluster: 'sandbox', revision: second });
      expect(round!.response?.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      receiveCounts.push(Number(record.attributes.ApproximateReceiveCount));
    }
    expect(receiveCounts[1]).toBe(receiveCounts[0] + 1);
    expect(pipeline.sandbox.requests.entries()).toEqual([]);
    expect(await liveColor(pipeline)).toBe('blue');
    expect(pipeline.github.statuses.slice(statusesBefore)).toEqual([]);
    expect(pipeline.eventBridge.entries.slice(eventsBefore)).toEqual([]);
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ revision: first, requestedRevision: second });
    expect(await pipeline.store.getLease(TARGET)).toMatchObject({ owner: OTHER_WORKER });
    expect(await pipeline.queueDepth()).toBe(1);

    // The holder lets go: the message comes round once more and the commit is applied.
    expect(await pipeline.store.releaseLease(TARGET, OTHER_WORKER)).toBe(true);
    await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === second && (await pipeline.queueDepth()) === 0);
    expect(await liveColor(pipeline)).toBe('green');
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ revision: second, syncStatus: 'Synced', health: 'Healthy' });
    expect(pipeline.github.statuses.slice(statusesBefore).map((status) => [status.sha, status.state])).toEqual([
      [second, 'pending'],
      [second, 'success'],
    ]);
    // The worker that synced released its own lease.
    expect(await pipeline.store.getLease(TARGET)).toBeUndefined();
  });
});
