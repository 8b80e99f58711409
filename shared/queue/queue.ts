// The sync-jobs queue as the webhook and the drift scan see it.
import type { SyncJob } from './job.ts';

export interface EnqueuedJob {
  job: SyncJob;
  messageId: string;
}

export interface JobQueue {
  /**
   * Sends every job or throws EnqueueError naming those that could not be sent (the rest were).
   * Jobs of one target keep the order they have in `jobs`.
   */
  enqueue(jobs: SyncJob[]): Promise<EnqueuedJob[]>;
}
