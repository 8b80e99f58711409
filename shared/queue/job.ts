// The message on the sync-jobs FIFO queue: sync one app on one cluster at one revision.
// Group = app@cluster (syncs of one target never run side by side and keep their order);
// deduplication = app@cluster@revision (the same push enqueued twice syncs once), see
// deduplicationId for the jobs that are not pushes.
import { z } from 'zod';

export const SYNC_REASONS = ['push', 'config', 'self-heal', 'missed-push', 'manual', 'rollback', 'continue', 'drift-scan'] as const;

export const syncJobSchema = z.object({
  app: z.string().min(1),
  cluster: z.string().min(1),
  /** Commit sha to sync. */
  revision: z.string().min(1),
  /** The branch or tag the revision was resolved from, for messages. */
  ref: z.string().optional(),
  reason: z.enum(SYNC_REASONS),
  /** X-GitHub-Delivery of the push that caused it, for logs. */
  deliveryId: z.string().optional(),
  enqueuedAt: z.string(),
  /** Set when a long sync continues in a new message: the step to resume from. */
  resumeFromStep: z.number().int().nonnegative().optional(),
  /** Set on a drift scan: the schedule period it was planned in (epoch ms ÷ the period); a target is scanned once per period. */
  schedulePeriod: z.number().int().nonnegative().optional(),
});

export type SyncJob = z.infer<typeof syncJobSchema>;

/** The job that re-reads the registry after a config-repo push: not an app × cluster target. */
export const REGISTRY_JOB_APP = '_registry';
export const REGISTRY_JOB_CLUSTER = '_config';

export function targetId(app: string, cluster: string): string {
  return `${app}@${cluster}`;
}

export function messageGroupId(job: Pick<SyncJob, 'app' | 'cluster'>): string {
  return targetId(job.app, job.cluster);
}

/** SQS allows 128 characters of [a-zA-Z0-9!-~]; app and cluster names fit, long ones are hashed by the sender. */
export function deduplicationId(job: Pick<SyncJob, 'app' | 'cluster' | 'revision' | 'reason' | 'resumeFromStep' | 'schedulePeriod'>): string {
  const base = `${job.app}@${job.cluster}@${job.revision}`;
  if (job.reason === 'push' || job.reason === 'config') return base;
  // Self-heal and continuation of the same revision must not be swallowed as duplicates of the
  // push: they are told apart by their step, their schedule period, or else by when they are sent.
  return `${base}@${job.reason}@${job.resumeFromStep ?? job.schedulePeriod ?? Date.now()}`;
}
