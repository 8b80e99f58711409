// A worker's lease on its target lasts as long as the invocation that took it could still
// write — its remaining time plus one minute (a write sent just before the deadline may still
// be applied within the API server's request timeout) — not a fixed 16 minutes. So a worker
// killed mid-sync blocks its target only that long: once its message comes back after the
// visibility timeout, the next worker can take the target instead of handing the job back
// as "being synced by another worker" until it is dead-lettered (found by bench:soak).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeaseRecord } from '../../shared/state/types.ts';
import { liveColor, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const TARGET = { app: 'web', cluster: 'sandbox' };
const INVOCATION_MS = 20_000;
const MARGIN_MS = 60_000;

let pipeline: Pipeline;

beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

describe('the lease a sync takes', () => {
  it('expires a minute after the invocation’s deadline', async () => {
    const sha = await pipeline.repo.commit({ ...webRegistry(), ...webApp('blue') });
    await pipeline.push(EMPTY, sha, { added: [...Object.keys(webRegistry()), ...Object.keys(webApp('blue'))] });
    await pipeline.workOnce(); // the registry refresh, which enqueues web@sandbox
    // The ConfigMap's apply is slow, so the sync is still holding its lease while we look.
    pipeline.sandbox.faults.inject({ verb: 'patch', resource: 'configmaps', latencyMs: 3_000, times: 1 });

    const before = Date.now();
    const round = pipeline.workOnce(1, INVOCATION_MS);
    let lease: LeaseRecord | undefined;
    let seenAt = 0;
    while (!lease) {
      lease = await pipeline.store.getLease(TARGET);
      seenAt = Date.now();
      if (seenAt - before > 15_000) throw new Error('the sync never took its lease');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The invocation's deadline lies between `before` and `seenAt`, plus its 20 s.
    expect(lease.expiresAtMs).toBeGreaterThanOrEqual(before + INVOCATION_MS + MARGIN_MS);
    expect(lease.expiresAtMs).toBeLessThanOrEqual(seenAt + INVOCATION_MS + MARGIN_MS);

    const { response } = (await round) ?? {};
    expect(response?.batchItemFailures).toEqual([]);
    expect(await liveColor(pipeline)).toBe('blue');
    expect(await pipeline.store.getLease(TARGET)).toBeUndefined();
  });
});
