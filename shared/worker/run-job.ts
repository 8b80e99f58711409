// The worker's entry into shared/: one queue message, one job, one handler per kind.
import type { AppSpec, ClusterSpec } from '../config/types.ts';
import { scanTarget } from '../drift/scan-target.ts';
import type { DriftScanJob, Job, RegistryRefreshJob, SyncJob } from '../queue/job.ts';
import type { JobContext, WorkerDependencies } from './dependencies.ts';
import { refreshRegistry } from './refresh-registry.ts';
import { syncTarget, type TargetOutcome } from './sync-target.ts';

export type JobOutcome = TargetOutcome | 'registry-refreshed' | 'scanned' | 'drifted';

export async function runJob(job: Job, context: JobContext, deps: WorkerDependencies): Promise<JobOutcome> {
  switch (job.kind) {
    case 'sync':
      return runSync(job, context, deps);
    case 'drift-scan':
      return runDriftScan(job, deps);
    case 'registry-refresh':
      return runRegistryRefresh(job, deps);
  }
}

async function runSync(job: SyncJob, context: JobContext, deps: WorkerDependencies): Promise<JobOutcome> {
  const target = await registeredTarget(job, deps);
  return target ? syncTarget(job, target.app, target.cluster, context, deps) : 'skipped';
}

async function runDriftScan(job: DriftScanJob, deps: WorkerDependencies): Promise<JobOutcome> {
  const target = await registeredTarget(job, deps);
  if (!target) return 'skipped';
  const scan = await scanTarget(job, target.app, target.cluster, deps);
  if (scan.outcome !== 'scanned') return 'skipped';
  return scan.report.status === 'Drifted' ? 'drifted' : 'scanned';
}

async function runRegistryRefresh(job: RegistryRefreshJob, deps: WorkerDependencies): Promise<JobOutcome> {
  await refreshRegistry(job, deps);
  return 'registry-refreshed';
}

/** The job's app and cluster as the registry has them now; a job for either that left it is dropped. */
async function registeredTarget(job: SyncJob | DriftScanJob, deps: WorkerDependencies): Promise<{ app: AppSpec; cluster: ClusterSpec } | undefined> {
  const registry = (await deps.store.getRegistry())?.registry;
  const app = registry?.apps.find((candidate) => candidate.name === job.app);
  const cluster = registry?.clusters.find((candidate) => candidate.name === job.cluster);
  if (app && cluster) return { app, cluster };
  deps.logger.warn('job for an app or cluster that is not in the registry; dropped', { kind: job.kind, app: job.app, cluster: job.cluster, revision: job.revision });
  return undefined;
}
