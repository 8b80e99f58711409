// The manual-sync gate, as Argo CD: without an automated sync policy a new commit makes the
// app OutOfSync and nothing more; only a manual sync (or a rollback) applies it. A sync a
// RollingSync rollout starts is not held: Argo CD's RollingSync turns the set's apps' autosync
// off and triggers their syncs itself, "as if triggered by the UI or CLI".
import type { AppSpec } from '../../config/types.ts';
import { isAutomatedSync, type SyncJob } from '../../queue/job.ts';
import type { TargetFields } from '../../state/types.ts';

/** The fields to record instead of syncing, or undefined when the job may sync. */
export function manualSyncGate(job: SyncJob, app: AppSpec, namespace: string): Partial<TargetFields> | undefined {
  if (app.syncPolicy.automated || !isAutomatedSync(job) || job.rollout !== undefined) return undefined;
  return {
    namespace,
    requestedRevision: job.revision,
    syncStatus: 'OutOfSync',
    message: `revision ${job.revision.slice(0, 7)} is waiting for a manual sync (no automated sync policy)`,
  };
}
