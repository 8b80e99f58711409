// The worker's entry into shared/: one queue message, one job.
import type { Registry } from '../config/types.ts';
import { scanTarget } from '../drift/scan-target.ts';
import { REGISTRY_JOB_APP, type SyncJob } from '../queue/job.ts';
import type { JobContext, WorkerDependencies } from './dependencies.ts';
import { refreshRegistry } from './refresh-registry.ts';
import { syncTarget, type TargetOutcome } from './sync-target.ts';

export type JobOutcome = TargetOutcome | 'registry-refreshed' | 'scanned' | 'drifted';

export async function runJob(job: SyncJob, context: JobContext, deps: WorkerDependencies): Promise<JobOutcome> {
  if (job.app === REGISTRY_JOB_APP) {
    await refreshRegistry(job, deps);
    return 'registry-refreshed';
  }
  const registry = (await deps.store.getRegistry())?.registry as Registry | undefined;
  const app = registry?.apps.find((candidate) => candidate.name === job.app);
  const cluster = registry?.clusters.find((candidate) => candidate.name === job.cluster);
  if (!app || !cluster) {
    deps.logger.warn('job for an app or cluster that is not in the registry; dropped', { app: job.app, cluster: job.cluster, revision: job.revision });
    return 'skipped';
  }
  if (job.reason === 'drift-scan') {
    const scan = await scanTarget(job, app, cluster, deps);
    if (scan.outcome !== 'scanned') return 'skipped';
    return scan.report.status === 'Drifted' ? 'drifted' : 'scanned';
  }
  return syncTarget(job, app, cluster, context, deps);
}
