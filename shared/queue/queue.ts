// The sync-jobs queue as the webhook, the drift scan, the worker and the CLI see it.
import type { Job } from './job.ts';

export interface EnqueuedJob {
  job: Job;
  messageId: string;
}

export interface JobQueue {
  /**
   * Sends every job or throws EnqueueError naming those that could not be sent (the rest were).
   * Jobs of one target keep the order they have in `jobs`.
   */
  enqueue(jobs: Job[]): Promise<EnqueuedJob[]>;
}
