// The worker's entry into shared/: one queue message, one job, one handler per kind.
import { projectOf } from '../config/normalise-project.ts';
import type { AppSpec, ClusterSpec, ProjectSpec, Registry } from '../config/types.ts';
import { scanCluster } from '../drift/scan-cluster.ts';
import { scanTarget } from '../drift/scan-target.ts';
import type { ClusterScanJob, DriftScanJob, Job, RegistryRefreshJob, SyncJob } from '../queue/job.ts';
import { advanceWaves, type WavesOutcome } from './app-waves.ts';
import type { JobContext, WorkerDependencies } from './dependencies.ts';
import { deleteApp, type DeleteOutcome } from './delete-app.ts';
import { previewPullRequest, type PreviewOutcome } from './preview-job.ts';
import { refreshRegistry } from './refresh-registry.ts';
import { notifyRollout, runRollout, type RolloutOutcome } from './rollout-job.ts';
import { syncTarget, type TargetOutcome } from './sync-target.ts';
import { sendCarriedSyncs } from './carried-syncs.ts';

// 'drift-unknown': the scan could not tell (the applied revision is gone from Git, or the
// cluster could not be read); the worker counts it so a target blind for long is alarmed on.
export type JobOutcome =
  TargetOutcome | DeleteOutcome | WavesOutcome | PreviewOutcome | RolloutOutcome | 'registry-refreshed' | 'scanned' | 'drifted' | 'drift-unknown';

export async function runJob(job: Job, context: JobContext, deps: WorkerDependencies): Promise<JobOutcome> {
  switch (job.kind) {
    case 'sync':
      return runSync(job, context, deps);
    case 'drift-scan':
      return runDriftScan(job, deps);
    case 'cluster-scan':
      return runClusterScan(job, context, deps);
    case 'registry-refresh':
      return runRegistryRefresh(job, deps);
    case 'delete-app':
      return deleteApp(job, context, deps);
    case 'app-waves':
      return advanceWaves(job, deps);
    case 'preview':
      return previewPullRequest(job, deps);
    case 'rollout':
      return runRollout(job, context, deps);
  }
}

async function runSync(job: SyncJob, context: JobContext, deps: WorkerDependencies): Promise<JobOutcome> {
  const target = await registeredTarget(job, deps);
  const outcome = target ? await syncTarget(job, target.app, target.cluster, context, deps, target.project, target.registry) : 'skipped';
  // A sync its rollout started that stood down (held, suspended, superseded, left the registry)
  // never reaches finish: the rollout is told all the same, so its step does not wait on it unseen.
  if (outcome === 'skipped') await notifyRollout(deps, job);
  return outcome;
}

async function runDriftScan(job: DriftScanJob, deps: WorkerDependencies): Promise<JobOutcome> {
  const target = await registeredTarget(job, deps);
  if (!target) return 'skipped';
  const scan = await scanTarget(job, target.app, target.cluster, deps, target.project);
  if (scan.outcome === 'unknown' || scan.outcome === 'failed') return 'drift-unknown';
  if (scan.outcome !== 'scanned') return 'skipped';
  return scan.report.status === 'Drifted' ? 'drifted' : 'scanned';
}

/** Drifted when any target drifted; unknown when any could not be told; `continued` does not count as an outcome of its own. */
async function runClusterScan(job: ClusterScanJob, context: JobContext, deps: WorkerDependencies): Promise<JobOutcome> {
  const registry = (await deps.store.getRegistry())?.registry;
  const cluster = registry?.clusters.find((candidate) => candidate.name === job.cluster);
  if (!registry || !cluster) {
    deps.logger.warn('cluster scan for a cluster that is not in the registry; dropped', { kind: job.kind, cluster: job.cluster });
    return 'skipped';
  }
  const { targets } = await scanCluster(job, cluster, registry, context, deps);
  if (targets.some((target) => target.outcome === 'scanned' && target.report.status === 'Drifted')) return 'drifted';
  if (targets.some((target) => target.outcome === 'unknown' || target.outcome === 'failed')) return 'drift-unknown';
  return targets.some((target) => target.outcome === 'scanned') ? 'scanned' : 'skipped';
}

async function runRegistryRefresh(job: RegistryRefreshJob, deps: WorkerDependencies): Promise<JobOutcome> {
  const { changedApps } = await refreshRegistry(job, deps);
  // Whether the registry was stored or refused: the push's app changes sync now, against it.
  await sendCarriedSyncs(job, changedApps, deps);
  return 'registry-refreshed';
}

/**
 * The job's app and cluster as the registry has them now, with the app's project (undefined if
 * the registry lacks it: the sync refuses then); a job for an app or cluster that left it is dropped.
 */
async function registeredTarget(
  job: SyncJob | DriftScanJob,
  deps: WorkerDependencies,
): Promise<{ app: AppSpec; cluster: ClusterSpec; project?: ProjectSpec; registry: Registry } | undefined> {
  const registry = (await deps.store.getRegistry())?.registry;
  const app = registry?.apps.find((candidate) => candidate.name === job.app);
  const cluster = registry?.clusters.find((candidate) => candidate.name === job.cluster);
  if (registry && app && cluster) return { app, cluster, project: projectOf(registry, app.project), registry };
  deps.logger.warn('job for an app or cluster that is not in the registry; dropped', {
    kind: job.kind,
    app: job.app,
    cluster: job.cluster,
    revision: job.revision,
  });
  return undefined;
}
