// What a post about a target says beyond its commit status, for posters that show more than
// a line: a check run's summary and annotations, a deployment's environment. Names, kinds,
// counts, health and messages only: never a manifest or a value.
import type { SyncTrigger } from '../queue/job.ts';
import type { ChangeSet } from '../sync/changeset.ts';

/** The parts of a sync's result a check run shows. */
export type CheckResult = Pick<ChangeSet, 'status' | 'health' | 'message' | 'objects' | 'durationMs' | 'warnings'>;

/**
 * Why a post is made, when its commit state alone does not say it:
 *   held        an automated sync waits for a sync window: it runs when the window opens;
 *   superseded  a newer commit was requested before this one was applied;
 *   gave-up     the last delivery failed too (the job is in the dead-letter queue);
 *   refused     the sources, manifests or settings are wrong (nothing applied).
 */
export type CheckReason = 'held' | 'superseded' | 'gave-up' | 'refused';

export interface CheckDetails {
  app: string;
  cluster: string;
  reason?: CheckReason;
  /** What the sync did, when it ran to an end (or to a retry). */
  result?: CheckResult;
  trigger?: SyncTrigger;
}
