// The syncs a config push asks for, sent so the first of them start while the rest are still
// being asked: chunk by chunk, each chunk's requests written (a few at once) before its jobs
// are enqueued, since a job is only claimed against its request. One after another, 1,000
// requests and a single send at the end held every sync of a 1,000-app push back ~3 s.
import pLimit from 'p-limit';
import { targetId, type Job } from '../queue/job.ts';
import type { RolloutMark } from '../rollout/route.ts';
import { TARGET_WRITES_AT_ONCE } from '../state/store.ts';
import type { WorkerDependencies } from './dependencies.ts';

/** Jobs per chunk: the first syncs start after this many requests. */
export const FAN_OUT_CHUNK = 100;

export interface FanOut {
  jobs: readonly Job[];
  /** Targets whose sync job must find its request: `app@cluster` → the commit requested. */
  requests: ReadonlyMap<string, { app: string; cluster: string; sha: string }>;
  /** Targets of a rollout, marked before any job is sent (the rollout's start job reads them). */
  marks: readonly RolloutMark[];
}

export async function fanOut({ jobs, requests, marks }: FanOut, deps: Pick<WorkerDependencies, 'store' | 'queue'>): Promise<void> {
  const limit = pLimit(TARGET_WRITES_AT_ONCE);
  await Promise.all(marks.map((mark) => limit(() => deps.store.markRollout(mark.target, mark.rollout))));
  for (let start = 0; start < jobs.length; start += FAN_OUT_CHUNK) {
    const chunk = jobs.slice(start, start + FAN_OUT_CHUNK);
    await Promise.all(
      chunk.map((job) => {
        const request = job.kind === 'sync' ? requests.get(targetId(job.app, job.cluster)) : undefined;
        return request ? limit(() => deps.store.requestSync({ app: request.app, cluster: request.cluster }, request.sha)) : undefined;
      }),
    );
    await deps.queue.enqueue(chunk);
  }
}
