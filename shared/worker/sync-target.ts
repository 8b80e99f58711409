// One sync job for one app on one cluster, top to bottom:
//   hold (pin, suspend) → replay check → manual-sync gate → sync windows → claim the request → lease → started status →
//   fetch, render once, sync (its health waits cancelled by a newer revision) → superseded | continue later |
//   retry later | finish → release.
// The decisions are pure policies (policy/); this file only carries them out. Bad input is
// recorded and the message is done; anything else (the cluster, a missing tool, the store) is
// retried through the queue, and the last attempt records that it gave up.
import { revisionRepoURL } from '../config/app-sources.ts';
import type { AppSpec, ClusterSpec, ProjectSpec, Registry } from '../config/types.ts';
import { isBadInput } from '../errors/bad-input.ts';
import { syncPolicies } from './sync-policies.ts';
import { Discovery } from '../kube/discovery.ts';
import { UnknownProjectError } from '../project/errors.ts';
import { projectRoleFor } from '../project/roles.ts';
import { targetId, type SyncJob } from '../queue/job.ts';
import type { TargetRef, TargetState } from '../state/types.ts';
import type { ChangeSet } from '../sync/changeset.ts';
import type { Children } from '../app-of-apps/children.ts';
import { appRunOptions } from '../sync/app-sync-options.ts';
import { sync } from '../sync/sync.ts';
import type { JobContext, WorkerDependencies } from './dependencies.ts';
import { LeaseBusyError, RetryableJobError } from './errors.ts';
import { finish, type SyncRun } from './finish.ts';
import { APP_SYNC_TIMEOUT_MS, continuationOf, needsMoreTime } from './policy/continuation.ts';
import { decideHold } from './policy/hold.ts';
import { manualSyncGate } from './policy/manual-sync.ts';
import { isLastAttempt, retryDelaySeconds } from './policy/retry.ts';
import { adoptChildren, splitChildrenAndSets } from './adopt-children.ts';
import { parentOf } from '../app-of-apps/types.ts';
import { holdForSyncWindow } from './hold-for-window.ts';
import { refuseStale } from './refuse-stale.ts';
import { supersededStatus } from './policy/superseded.ts';
import { healthCheckCancellation, type HealthCancellation } from './policy/cancel-health.ts';
import { fetchAppSources } from './fetch-sources.ts';
import { renderOnce } from './render-once.ts';
import { decryptRendered } from '../secrets/decrypt-rendered.ts';
import { processSopsKeys } from './sops-keys.ts';
import { emit, postStatus, type TargetReport } from './report.ts';
import { runNotifications } from '../notifications/announce.ts';

/** Time kept back from the invocation for recording the result after the sync stops (at most a fifth of it). */
const RECORD_MARGIN_MS = 60_000;
const MIN_SYNC_WINDOW_MS = 2_000;
/**
 * How long a lease outlives the invocation that took it. Lambda stops the function at its
 * deadline, but a write sent just before may still be applied within the API server's request
 * timeout (a minute). Tied to the invocation rather than fixed at Lambda's longest, so a worker
 * killed mid-sync blocks its target only until then: with a visibility timeout shorter than a
 * fixed 16 minutes, every redelivery and every newer push of the app was handed back as
 * "being synced by another worker" until it was dead-lettered (bench:soak found it).
 */
const LEASE_MARGIN_MS = 60_000;
/** Lambda's longest invocation and the margin. */
const MAX_LEASE_MS = 15 * 60_000 + LEASE_MARGIN_MS;

export type TargetOutcome = 'synced' | 'failed' | 'skipped' | 'continued';

/** `project` is the app's project from the same registry read; undefined fails the sync as bad input. */
export async function syncTarget(
  job: SyncJob,
  app: AppSpec,
  cluster: ClusterSpec,
  context: JobContext,
  deps: WorkerDependencies,
  project: ProjectSpec | undefined,
  /** The registry the job was read against: its admission policies, and an app of apps' family. */
  registry: Registry,
): Promise<TargetOutcome> {
  const destination = app.destinations.find((candidate) => candidate.cluster === cluster.name);
  if (!destination) {
    deps.logger.info('app no longer targets this cluster; job dropped', logFields(job));
    return 'skipped';
  }
  const ref: TargetRef = { app: app.name, cluster: cluster.name };
  // Read once: nothing this job writes before the sync changes the fields used from it
  // (inventory, last posted status, pin).
  const current = await deps.store.getTarget(app.name, cluster.name);
  // The repository the job's commit is in: the primary source's, the config repository's for charts alone.
  const repoURL = revisionRepoURL(app, deps.configRepo?.repoURL);
  if (!(await passHold(job, ref, destination.namespace, repoURL, current, deps))) return 'skipped';
  if (await refuseStale(job, ref, repoURL, current, deps)) return 'skipped';
  if (await holdForManualSync(job, app, ref, destination.namespace, deps)) return 'skipped';
  // The project's sync windows: an automated sync outside them waits, a manual one may be refused.
  const window = await holdForSyncWindow(job, { app, cluster, namespace: destination.namespace, project, repoURL }, current, deps);
  if (window.action === 'held') return 'skipped';
  const run = await claim(job, { ...ref, repoURL, revision: job.revision, parent: parentOf(app) }, destination.namespace, current, deps);
  if (!run) return 'skipped';
  run.notifications = runNotifications(registry, app, current);
  run.environment = cluster.labels.env;
  if (window.action === 'refuse') {
    await finish(deps, run, { kind: 'bad-input', message: window.message });
    return 'failed';
  }
  await takeLease(run, context, deps);
  try {
    return await attempt(run, app, cluster, project, current, context, deps, registry);
  } catch (error) {
    Discovery.forgetShared(clusterKey(cluster));
    return await settleError(run, error, context, deps);
  } finally {
    await deps.store.releaseLease(ref, deps.owner).catch(() => undefined);
  }
}

/** Carries out the pin/suspend decision; false when the job is not applied. */
async function passHold(
  job: SyncJob,
  ref: TargetRef,
  namespace: string,
  repoURL: string,
  current: TargetState | undefined,
  deps: WorkerDependencies,
): Promise<boolean> {
  const decision = decideHold(job, current, namespace);
  if (decision.action === 'go') {
    if (decision.reclaim) await deps.store.requestSync(ref, job.revision);
    return true;
  }
  deps.logger.info(`target is ${decision.hold}; automated job not applied`, logFields(job));
  if (decision.update) await deps.store.putTargetState({ ...ref, ...decision.update });
  if (decision.failure) await postStatus(deps, { ...ref, repoURL, revision: job.revision }, 'failure', decision.failure, current);
  return false;
}

/** True when the app waits for a manual sync: the new commit is recorded as OutOfSync instead. */
async function holdForManualSync(job: SyncJob, app: AppSpec, ref: TargetRef, namespace: string, deps: WorkerDependencies): Promise<boolean> {
  const update = manualSyncGate(job, app, namespace);
  if (update) await deps.store.putTargetState({ ...ref, ...update });
  return update !== undefined;
}

/** Proceeds only for the newest requested revision; undefined when a newer one stands this job down. */
async function claim(
  job: SyncJob,
  target: TargetReport,
  namespace: string,
  current: TargetState | undefined,
  deps: WorkerDependencies,
): Promise<SyncRun | undefined> {
  const start = await deps.store.beginSync({ app: target.app, cluster: target.cluster }, job.revision);
  if (!start.started) {
    deps.logger.info('a newer revision was requested; this job stands down', { ...logFields(job), requestedRevision: start.requestedRevision });
    const superseded = supersededStatus(job.revision, start.requestedRevision, current?.lastPostedStatus);
    if (superseded) await postStatus(deps, target, 'failure', superseded, current, { reason: 'superseded' });
    return undefined;
  }
  return {
    job,
    target,
    seq: start.seq,
    startedAt: now(deps).toISOString(),
    namespace,
    knownNamespace: current?.namespace,
  };
}

/** Another worker on the same target: try again later (and on the last attempt, say it gave up). */
async function takeLease(run: SyncRun, context: JobContext, deps: WorkerDependencies): Promise<void> {
  const ttlMs = Math.min(MAX_LEASE_MS, Math.max(0, context.remainingMs()) + LEASE_MARGIN_MS);
  if (await deps.store.acquireLease(run.target, deps.owner, ttlMs)) return;
  const busy = new LeaseBusyError(targetId(run.target.app, run.target.cluster));
  await giveUpOnLastAttempt(run, busy.message, context, deps);
  throw busy;
}

async function attempt(
  run: SyncRun,
  app: AppSpec,
  cluster: ClusterSpec,
  project: ProjectSpec | undefined,
  current: TargetState | undefined,
  context: JobContext,
  deps: WorkerDependencies,
  registry: Registry,
): Promise<TargetOutcome> {
  // A continuation already said it started.
  if (run.job.continuation === undefined) await announceStart(run, current, deps);
  if (!project) throw new UnknownProjectError(app.name, app.project);
  const { result, renderKey, children, cancellation } = await renderAndSync(run, app, cluster, project, current, context, deps, registry);
  // Its health wait was cancelled for a newer revision: superseded, recorded once, never retried.
  if (cancellation) {
    await finish(deps, run, { kind: 'superseded', result, renderKey, cancellation });
    deps.logger.info('health check cancelled; a newer revision supersedes this sync', { ...logFields(run.job), message: cancellation.message });
    return 'skipped';
  }
  // A failed sync may have failed on what discovery said: the next job on the cluster asks again.
  if (result.status === 'Failed') Discovery.forgetShared(clusterKey(cluster));
  if (needsMoreTime(result, run.job.enqueuedAt, now(deps))) return continueLater(run, result, renderKey, deps);
  const retryInSeconds = retryDelaySeconds({
    retry: app.syncPolicy.retry,
    failed: result.status === 'Failed',
    attempt: context.receiveCount,
    maxReceiveCount: deps.maxReceiveCount,
  });
  if (retryInSeconds !== undefined) {
    // This attempt is recorded, the message comes back after the backoff, and only the last
    // attempt's result is final.
    const posted = await finish(deps, run, { kind: 'retrying', result, renderKey, attempt: context.receiveCount, retryInSeconds });
    throw new RetryableJobError(`${targetId(run.target.app, run.target.cluster)}: ${posted.status.description}`, { retryAfterSeconds: retryInSeconds });
  }
  await finish(deps, run, { kind: 'result', result, renderKey });
  if (children && result.status === 'Succeeded') await adoptChildren(run.job, app, children, deps);
  return result.status === 'Succeeded' ? 'synced' : 'failed';
}

async function announceStart(run: SyncRun, current: TargetState | undefined, deps: WorkerDependencies): Promise<void> {
  const { job, target } = run;
  await postStatus(deps, target, 'pending', `Syncing ${target.app} to ${target.cluster}`, current, { trigger: job.trigger });
  await emit(deps, 'Sync Started', {
    app: target.app,
    cluster: target.cluster,
    revision: job.revision,
    ref: job.ref,
    reason: job.trigger,
    deliveryId: job.deliveryId,
    summary: `sync of ${job.revision.slice(0, 7)} started`,
  });
}

async function renderAndSync(
  run: SyncRun,
  app: AppSpec,
  cluster: ClusterSpec,
  project: ProjectSpec,
  current: TargetState | undefined,
  context: JobContext,
  deps: WorkerDependencies,
  registry: Registry,
): Promise<{ result: ChangeSet; renderKey: string; children?: Children; cancellation?: HealthCancellation }> {
  // Every source of the app (fetch-sources.ts says at which commit or chart version), recorded with the result.
  const fetched = await fetchAppSources(
    app,
    { revision: run.job.revision, ref: run.job.ref, recorded: current?.revision === run.job.revision ? current.sources : undefined },
    deps,
  );
  run.sources = fetched.revisions;
  // A push to another source's repository (a ref source's values): its commit status goes there.
  if (fetched.revisionRepoURL) run.target.repoURL = fetched.revisionRepoURL;
  try {
    // As the project's role on this cluster when it names one (the team's access entry), else the cluster's connection.
    const client = await deps.connect(cluster, projectRoleFor(project, cluster, run.namespace, app.name));
    // What earlier jobs of this process learned of the cluster's kinds (an unknown kind is asked again).
    const discovery = Discovery.shared(clusterKey(cluster), client);
    const rendered = await renderOnce(app, run.namespace, fetched, deps.renders, discovery);
    // An app of apps' Application and AppProject documents join the registry, not the cluster.
    // Only where the app's project lets it write them (Argo CD's Application and AppProject objects).
    const { manifests, children } = await splitChildrenAndSets(app, rendered.objects, { project, cluster }, registry, deps.sources);
    // SOPS documents decrypted after the cache, in memory only, and the project's plain-Secrets rule.
    const secrets = await decryptRendered(manifests, { keys: deps.sopsKeys ?? processSopsKeys(), project, destinationNamespace: run.namespace });
    const runOptions = appRunOptions(app, run.namespace);
    // CancelHealthCheckOnNewRevision, on for every sync: each question is one read of the target's item.
    let cancellation: HealthCancellation | undefined;
    // A read that fails asks again next time: the wait it guards must not fail because of it.
    const cancelled = async (): Promise<string | undefined> => {
      try {
        cancellation = healthCheckCancellation(run.job, await deps.store.getTarget(app.name, cluster.name));
      } catch (error) {
        deps.logger.warn('could not read the target to see whether its health check is superseded', { ...logFields(run.job), error: (error as Error).message });
        return undefined;
      }
      return cancellation?.message;
    };
    const left = context.remainingMs();
    const remaining = left - Math.min(RECORD_MARGIN_MS, Math.floor(left / 5));
    const result = await sync({
      app: app.name,
      revision: run.job.revision,
      objects: secrets.objects,
      client,
      discovery,
      previous: current?.inventory,
      // Every object written or pruned must be one the app's project permits on this cluster.
      project: { project, cluster },
      // The registry's admission policies, asked about every object before the first write.
      policies: registry.policies && syncPolicies(registry.policies, run, deps),
      // automated.prune and allowEmpty, CreateNamespace, the app's other syncOptions, ignoreDifferences.
      options: {
        ...runOptions,
        warnings: [...(runOptions.warnings ?? []), ...secrets.warnings],
        timeoutMs: Math.max(MIN_SYNC_WINDOW_MS, Math.min(remaining, APP_SYNC_TIMEOUT_MS)),
        cancelled,
      },
    });
    return { result, renderKey: rendered.key, children, cancellation: result.cancelled === undefined ? undefined : cancellation };
  } finally {
    await fetched.dispose();
  }
}

/**
 * Everything is applied; only health is pending. Record where we are and continue in a new
 * message: the next run finds every object unchanged and goes straight to waiting.
 */
async function continueLater(run: SyncRun, result: ChangeSet, renderKey: string, deps: WorkerDependencies): Promise<TargetOutcome> {
  await deps.store.putTargetState({
    app: run.target.app,
    cluster: run.target.cluster,
    syncStatus: 'Syncing',
    health: result.health,
    message: `waiting for health: ${result.message}`,
    inventory: result.inventory,
    renderKey,
  });
  await deps.queue.enqueue([continuationOf(run.job)]);
  deps.logger.info('sync continues in a new invocation', { ...logFields(run.job), message: result.message });
  return 'continued';
}

/** Bad input ends the job as failed; anything else goes back to the queue. */
async function settleError(run: SyncRun, error: unknown, context: JobContext, deps: WorkerDependencies): Promise<TargetOutcome> {
  const message = (error as Error).message;
  if (isBadInput(error)) {
    await finish(deps, run, { kind: 'bad-input', message });
    deps.logger.warn('sync refused: bad input', { ...logFields(run.job), error: message });
    return 'failed';
  }
  await giveUpOnLastAttempt(run, message, context, deps);
  throw error instanceof RetryableJobError ? error : new RetryableJobError(`${targetId(run.target.app, run.target.cluster)}: ${message}`, { cause: error });
}

/** On the attempt after which SQS moves the job to the DLQ: say so on the target, the commit and the bus. */
async function giveUpOnLastAttempt(run: SyncRun, message: string, context: JobContext, deps: WorkerDependencies): Promise<void> {
  if (isLastAttempt(context.receiveCount, deps.maxReceiveCount)) await finish(deps, run, { kind: 'gave-up', attempts: context.receiveCount, message });
}

/** The cluster as its connection names it: a cluster re-registered elsewhere under the same name shares nothing. */
function clusterKey(cluster: ClusterSpec): string {
  return JSON.stringify([cluster.name, cluster.server, cluster.eks, cluster.kubeconfig]);
}

function logFields(job: SyncJob): Record<string, unknown> {
  return { app: job.app, cluster: job.cluster, revision: job.revision, deliveryId: job.deliveryId, trigger: job.trigger, continuation: job.continuation };
}

function now(deps: WorkerDependencies): Date {
  return deps.now?.() ?? new Date();
}
