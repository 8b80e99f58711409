// One sync job for one app on one cluster, top to bottom:
//   hold (pin, suspend) → replay check → manual-sync gate → sync windows → claim the request and the lease → started status →
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
import { decideSyncWindow } from './policy/sync-window.ts';
import { healthCheckCancellation, type HealthCancellation } from './policy/cancel-health.ts';
import { fetchAppSources } from './fetch-sources.ts';
import { renderOnce } from './render-once.ts';
import { decryptRendered } from '../secrets/decrypt-rendered.ts';
import { processSopsKeys } from './sops-keys.ts';
import { emit, postedBefore, postedOf, postStatus, sendStatus, statusFor, type TargetReport } from './report.ts';
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
  // The repository the job's commit is in: the primary source's, the config repository's for charts alone.
  const repoURL = revisionRepoURL(app, deps.configRepo?.repoURL);
  const gate: Gate = { job, app, cluster, namespace: destination.namespace, project, repoURL, context, deps };
  const claimed = await claimOrStandDown(gate);
  if (!claimed) return 'skipped';
  const { run, current } = claimed;
  run.notifications = runNotifications(registry, app, current);
  run.environment = cluster.labels.env;
  try {
    if (claimed.refuse !== undefined) {
      await finish(deps, run, { kind: 'bad-input', message: claimed.refuse });
      return 'failed';
    }
    return await attempt(run, app, cluster, project, current, context, deps, registry);
  } catch (error) {
    Discovery.forgetShared(clusterKey(cluster));
    return await settleError(run, error, context, deps);
  } finally {
    // The record gives the lease back with the result; a run that ends without one (continued, retried on an error) here.
    if (run.leased) await deps.store.releaseLease(run.target, deps.owner).catch(() => undefined);
  }
}

/** Everything the decisions before the claim look at. */
interface Gate {
  job: SyncJob;
  app: AppSpec;
  cluster: ClusterSpec;
  namespace: string;
  project: ProjectSpec | undefined;
  repoURL: string;
  context: JobContext;
  deps: WorkerDependencies;
}

interface Claimed {
  run: SyncRun;
  /** The target as the claim found it: the state the job reads (inventory, last posted status, sources, pin). */
  current: TargetState | undefined;
  /** A manual sync the project's sync windows refuse: recorded as its result. */
  refuse?: string;
}

/**
 * hold (pin, suspend) → replay check → manual-sync gate → sync windows → claim, as one job
 * always decided them, with as few requests as that allows. Most jobs cannot be held by
 * anything but the target's own state: they claim at once, on the condition that nothing on the
 * target holds them (claimTarget's `unheld`), and the claim's answer is the state the rest of
 * the job reads. The replay check, which needs the applied revision, follows the claim and gives
 * it back when the push is stale. A job the app or the project's windows may hold, or whose
 * claim failed, reads the target first and decides as before: a held target is never marked
 * Syncing nor leased by a job that does not sync it.
 */
async function claimOrStandDown(gate: Gate): Promise<Claimed | undefined> {
  const { job, deps } = gate;
  const ref: TargetRef = { app: gate.app.name, cluster: gate.cluster.name };
  let current: TargetState | undefined;
  if (!readFirst(gate)) {
    const claim = await deps.store.claimTarget(ref, claimRequest(gate, true));
    if (claim.claimed) {
      let stale: boolean;
      try {
        stale = await refuseStale(job, ref, gate.repoURL, claim.before, deps);
      } catch (error) {
        await deps.store.unclaimTarget(ref, deps.owner, claim.before, {});
        throw error;
      }
      if (stale) {
        await deps.store.unclaimTarget(ref, deps.owner, claim.before, {});
        return undefined;
      }
      // As holdForSyncWindow does for a job its windows let through: the wait recorded for this revision is over.
      if (windowsApply(gate) && claim.before?.windowWait?.revision === job.revision) await deps.store.putTargetState(ref, { remove: ['windowWait'] });
      return { run: runOf(gate, claim.seq, claim.before, { leased: true, dora: claim.dora }), current: claim.before };
    }
    // Held, superseded or leased: the state the failed claim read decides, in the usual order.
    current = claim.state;
  } else {
    current = await deps.store.getTarget(ref.app, ref.cluster);
  }
  if (!(await passHold(job, ref, gate.namespace, gate.repoURL, current, deps))) return undefined;
  if (await refuseStale(job, ref, gate.repoURL, current, deps)) return undefined;
  if (await holdForManualSync(job, gate.app, ref, gate.namespace, deps)) return undefined;
  // The project's sync windows: an automated sync outside them waits, a manual one may be refused.
  const window = await holdForSyncWindow(
    job,
    { app: gate.app, cluster: gate.cluster, namespace: gate.namespace, project: gate.project, repoURL: gate.repoURL },
    current,
    deps,
  );
  if (window.action === 'held') return undefined;
  const refuse = window.action === 'refuse' ? window.message : undefined;
  const claim = await deps.store.claimTarget(ref, claimRequest(gate, false, refuse === undefined));
  if (claim.claimed) return { run: runOf(gate, claim.seq, claim.before, { leased: true, dora: claim.dora }), current: claim.before, refuse };
  if (claim.why === 'superseded') {
    await standDown(gate, claim.state);
    return undefined;
  }
  // Another worker on the same target: try again later (and on the last attempt, say it gave up).
  const run = runOf(gate, Number(claim.state?.requestSeq ?? 0), claim.state, { leased: false });
  const busy = new LeaseBusyError(targetId(ref.app, ref.cluster));
  await giveUpOnLastAttempt(run, busy.message, gate.context, deps);
  throw busy;
}

/** True when the app (no automated sync) or the project's windows may hold the job: those decisions need the state first. */
function readFirst(gate: Gate): boolean {
  if (manualSyncGate(gate.job, gate.app, gate.namespace) !== undefined) return true;
  if (!windowsApply(gate)) return false;
  const decision = decideSyncWindow(
    gate.project?.syncWindows ?? [],
    { app: gate.app.name, namespace: gate.namespace, cluster: { name: gate.cluster.name, server: gate.cluster.server } },
    gate.job.trigger,
    now(gate.deps),
  );
  return decision.action !== 'sync';
}

/** The project's sync windows are asked about this job (holdForSyncWindow's rule). */
function windowsApply(gate: Gate): boolean {
  return gate.job.continuation === undefined && (gate.project?.syncWindows ?? []).length > 0;
}

/**
 * The claim, with the pending status the job posts next recorded as posted (a continuation
 * posts none, nor does a refused manual sync). Recorded before it is posted: a crash in between
 * loses that pending status, never the final one (finish.ts always posts it), and a job
 * superseded meanwhile still finds "pending" and gives the commit its last word.
 */
function claimRequest(gate: Gate, unheld: boolean, announces = true) {
  const lease = leaseTtlMs(gate.context);
  const pending = announces && gate.job.continuation === undefined ? postedOf(pendingStatus(reportOf(gate))) : undefined;
  return { revision: gate.job.revision, owner: gate.deps.owner, ttlMs: lease, unheld, ...(pending ? { pendingStatus: pending } : {}) };
}

/** A newer revision was requested: this job stands down, with a last word on its commit if it left one pending. */
async function standDown(gate: Gate, state: TargetState | undefined): Promise<void> {
  const { job, deps } = gate;
  deps.logger.info('a newer revision was requested; this job stands down', { ...logFields(job), requestedRevision: state?.requestedRevision });
  const superseded = supersededStatus(job.revision, state?.requestedRevision, state?.lastPostedStatus);
  if (superseded) await postStatus(deps, reportOf(gate), 'failure', superseded, state, { reason: 'superseded' });
}

function reportOf(gate: Gate): TargetReport {
  return { app: gate.app.name, cluster: gate.cluster.name, repoURL: gate.repoURL, revision: gate.job.revision, parent: parentOf(gate.app) };
}

function runOf(gate: Gate, seq: number, current: TargetState | undefined, lease: { leased: boolean; dora?: SyncRun['dora'] }): SyncRun {
  return {
    job: gate.job,
    target: reportOf(gate),
    seq,
    leased: lease.leased,
    ...(lease.dora ? { dora: lease.dora } : {}),
    startedAt: now(gate.deps).toISOString(),
    namespace: gate.namespace,
    knownNamespace: current?.namespace,
  };
}

/** How long the claim's lease lasts: the invocation's remaining time and the margin, at most Lambda's longest. */
function leaseTtlMs(context: JobContext): number {
  return Math.min(MAX_LEASE_MS, Math.max(0, context.remainingMs()) + LEASE_MARGIN_MS);
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

/** The pending status of a sync that starts: the claim recorded it as posted (claimRequest). */
function pendingStatus(target: TargetReport, trigger?: SyncJob['trigger']) {
  return statusFor(target, 'pending', `Syncing ${target.app} to ${target.cluster}`, trigger === undefined ? {} : { trigger });
}

async function announceStart(run: SyncRun, current: TargetState | undefined, deps: WorkerDependencies): Promise<void> {
  const { job, target } = run;
  // Posted unless the target's last status (before the claim recorded this one) is this very one.
  const status = pendingStatus(target, job.trigger);
  if (!postedBefore(status, current?.lastPostedStatus)) await sendStatus(deps, status);
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
