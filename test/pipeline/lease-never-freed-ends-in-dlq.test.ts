// A job that never gets the target's lease (another worker keeps it through every attempt)
// ends in the dead-letter queue like any other job that ran out of attempts: the last attempt
// records the failure on the target and posts an error status for the commit, and nothing is
// applied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveColor, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const TARGET = { app: 'web', cluster: 'sandbox' };
const MAX_RECEIVE_COUNT = 2;

let pipeline: Pipeline;
let first: string;

beforeAll(async () => {
  pipeline = await startPipeline({ maxReceiveCount: MAX_RECEIVE_COUNT, visibilityTimeoutSeconds: 1 });
  first = await pipeline.repo.commit({ ...webRegistry(), ...webApp('blue') });
  await pipeline.push(EMPTY, first, { added: [...Object.keys(webRegistry()), ...Object.keys(webApp('blue'))] });
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first);
});
afterAll(() => pipeline?.stop());

describe('a lease that is never freed', () => {
  it('ends in the dead-letter queue with the target Failed and an error status, nothing applied', async () => {
    expect(await pipeline.store.acquireLease(TARGET, 'a-worker-that-hangs', 10 * 60_000)).toBe(true);
    const second = await pipeline.repo.commit(webApp('green'));
    await pipeline.push(first, second, { modified: ['apps/web/config.yaml'] });
    pipeline.sandbox.requests.clear();

    await pipeline.work(async () => (await pipeline.queueDepth(pipeline.services.dlqUrl)) > 0, 30_000);

    expect(pipeline.sandbox.requests.entries().filter((request) => request.method !== 'GET')).toEqual([]);
    expect(await liveColor(pipeline)).toBe('blue');
    const target = await pipeline.store.getTarget('web', 'sandbox');
    expect(target).toMatchObject({ syncStatus: 'Failed', revision: first, requestedRevision: second });
    expect(target?.message).toMatch(/^gave up after \d+ attempts \(the job is in the dead-letter queue\): .*another worker/);
    const statuses = pipeline.github.statuses.filter((status) => status.sha === second && status.context === 'driftless/web@sandbox');
    expect(statuses.at(-1)?.state).toBe('error');
  });
});
