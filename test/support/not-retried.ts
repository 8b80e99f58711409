// What bad input looks like on the queue: the user's mistake is recorded once and the message
// is done. Shared by the pipeline tests of manifests, projects and policies that refuse a sync.
import { expect } from 'vitest';
import type { Pipeline } from './pipeline.ts';

/**
 * Runs the registry refresh a config push queued, then `app`'s sync, and checks that the sync
 * was received once, was not handed back as a batch item failure, and that past the visibility
 * timeout nothing comes back and nothing went to the dead-letter queue.
 */
export async function expectSyncNotRetried(pipeline: Pipeline, app: string): Promise<void> {
  await pipeline.workOnce(); // the registry refresh, which enqueues the app's sync
  const sync = await pipeline.workOnce();
  expect(sync?.event.Records.map((record) => [(JSON.parse(record.body) as { app: string }).app, record.attributes.ApproximateReceiveCount])).toEqual([
    [app, '1'],
  ]);
  expect(sync?.response?.batchItemFailures ?? []).toEqual([]);
  expect(await pipeline.workOnce(2)).toBeUndefined();
  expect(await pipeline.queueDepth()).toBe(0);
  expect(await pipeline.queueDepth(pipeline.services.dlqUrl)).toBe(0);
}
