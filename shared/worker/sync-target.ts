// One job for one app on one cluster, top to bottom:
//   claim (newest request, lease) → pending status → fetch → render once → sync → record →
//   final status and events → release.
// Bad input (render or plan errors) is recorded and the message is done; trouble reaching the
// cluster is retried through the queue, and the last attempt records the failure first.
import type { AppSpec, ClusterSpec } from '../config/types.ts';
import { Discovery } from '../kube/discovery.ts';
import { KubeConfigError } from '../kube/errors.ts';
import type { SyncJob } from '../queue/job.ts';
import { RenderError } from '../render/errors.ts';
import { SourceError } from '../source/errors.ts';
import { countActions, type ChangeSet } from '../sync/changeset.ts';
import { SyncInputError } from '../sync/errors.ts';
import { sync } from '../sync/sync.ts';
import type { JobContext, WorkerDependencies } from './dependencies.ts';
import type { SyncRecord, TargetRef, TargetState } from '../state/types.ts';
import { LeaseBusyError, RetryableJobError } from './errors.ts';
import { renderOnce } from './render-once.ts';
import { emit, postStatus, type TargetReport } from './report.ts';

/** Time kept back from the invocation for recording the result after the sync stops (at most a fifth of it). */
const RECORD_MARGIN_MS = 60_000;
const MIN_SYNC_WINDOW_MS = 2_000;
/** A sync (with its continuations) that is still not healthy after this fails. */
const APP_SYNC_TIMEOUT_MS = 30 * 60_000;
const LEASE_MS = 16 * 60_000;

export type TargetOutcome = 'synced' | 'failed' | 'skipped' | 'continued';

export async function syncTarget(job: SyncJob, app: AppSpec, cluster: ClusterSpec, context: JobContext, deps: WorkerDependencies): Promise<TargetOutcome> {
  const ref = { app: app.name, cluster: cluster.name };
  const destination = app.destinations.find((candidate) => candidate.cluster === cluster.name);
  const log = { app: app.name, cluster: cluster.name, revision: job.revision, deliveryId: job.deliveryId, reason: job.reason };
  if (!destination) {
    deps.logger.info('app no longer targets this cluster; job dropped', log);
    return 'skipped';
  }
  // Pinned (`driftless rollback`) or suspended (`driftless suspend`) targets: automated jobs
  // (push, config, missed-push, self-heal) are not applied until `driftless resume`; manual,
  // rollback and continuation jobs always are.
  // Read once: nothing this job writes before the sync changes the fields used from it
  // (inventory, last posted status, pin).
  const current = await deps.store.getTarget(app.name, cluster.name);
  const hold = await holdForPin(job, ref, destination.namespace, app.source.repoURL, current, deps);
  if (hold === 'skipped') return 'skipped';

  if (!app.syncPolicy.automated && (job.reason === 'push' || job.reason === 'config' || job.reason === 'missed-push')) {
    // As Argo CD: without an automated policy a new commit makes the app OutOfSync, nothing more.
    await deps.store.putTargetState({ ...ref, namespace: destination.namespace, requestedRevision: job.revision, syncStatus: 'OutOfSync', message: `revision ${job.revision.slice(0, 7)} is waiting for a manual sync (no automated sync policy)` });
    return 'skipped';
  }

  const start = await deps.store.beginSync(ref, job.revision);
  if (!start.started) {
    deps.logger.info('a newer revision was requested; this job stands down', { ...log, requestedRevision: start.requestedRevision });
    return 'skipped';
  }
  const report: TargetReport = { app: app.name, cluster: cluster.name, repoURL: app.source.repoURL, revision: job.revision };
  const attempt: Attempt = { seq: start.seq, startedAt: (deps.now?.() ?? new Date()).toISOString(), namespace: destination.namespace, knownNamespace: current?.namespace };
  if (!(await deps.store.acquireLease(ref, deps.owner, LEASE_MS))) {
    const busy = new LeaseBusyError(`${app.name}@${cluster.name}`);
    await giveUpOnLastAttempt(deps, context, job, report, attempt, busy.message);
    throw busy;
  }
  try {
    if (job.reason !== 'continue') {
      await postStatus(deps, report, 'pending', `Syncing ${app.name} to ${cluster.name}`, current);
      await emit(deps, 'Sync Started', { ...ref, revision: job.revision, ref: job.ref, reason: job.reason, deliveryId: job.deliveryId, summary: `sync of ${job.revision.slice(0, 7)} started` });
    }

    let result: ChangeSet;
    let renderKey: string;
    const source = await deps.sources.fetch({ repoURL: app.source.repoURL, revision: job.revision });
    try {
      const client = await deps.connect(cluster);
      const discovery = new Discovery(client);
      const rendered = await renderOnce(app, destination.namespace, source, deps.renders, discovery);
      renderKey = rendered.key;
      const left = context.remainingMs();
      const remaining = left - Math.min(RECORD_MARGIN_MS, Math.floor(left / 5));
      result = await sync({
        app: app.name,
        revision: job.revision,
        objects: rendered.objects,
        client,
        discovery,
        previous: current?.inventory,
        options: {
          prune: app.syncPolicy.automated?.prune ?? false,
          allowEmpty: app.syncPolicy.automated?.allowEmpty ?? false,
          createNamespace: app.syncPolicy.createNamespace && destination.namespace ? destination.namespace : undefined,
          timeoutMs: Math.max(MIN_SYNC_WINDOW_MS, Math.min(remaining, APP_SYNC_TIMEOUT_MS)),
        },
      });
    } finally {
      await source.dispose();
    }

    if (needsMoreTime(result, job, deps)) {
      // Everything is applied; only health is pending. Record where we are and continue in a
      // new message: the next run finds every object unchanged and goes straight to waiting.
      await deps.store.putTargetState({ ...ref, syncStatus: 'Syncing', health: result.health, message: `waiting for health: ${result.message}`, inventory: result.inventory, renderKey });
      // The continuation keeps the original enqueuedAt: it is when the sync's time began.
      await deps.queue.enqueue([{ ...job, reason: 'continue', resumeFromStep: (job.resumeFromStep ?? 0) + 1 }]);
      deps.logger.info('sync continues in a new invocation', { ...log, message: result.message });
      return 'continued';
    }
    await record(deps, job, ref, attempt, result, renderKey);
    const retryInSeconds = retryDelay(app, result, context, deps);
    if (retryInSeconds !== undefined) {
      // The app's retry policy (Argo CD's syncPolicy.retry): this attempt is recorded, the
      // message comes back after the backoff, and only the last attempt's result is final.
      const summary = `attempt ${context.receiveCount} failed, retrying in ${retryInSeconds}s: ${firstLine(result.message)}`;
      await postStatus(deps, report, 'pending', summary);
      throw new RetryableJobError(`${app.name}@${cluster.name}: ${summary}`, { retryAfterSeconds: retryInSeconds });
    }
    await announce(deps, report, job, result);
    return result.status === 'Succeeded' ? 'synced' : 'failed';
  } catch (error) {
    if (isBadInput(error)) {
      const message = (error as Error).message;
      await recordFailure(deps, job, ref, attempt, `cannot sync: ${message}`);
      await postStatus(deps, report, 'failure', firstLine(message));
      await emit(deps, 'Sync Failed', { ...ref, revision: job.revision, reason: job.reason, syncStatus: 'Failed', summary: firstLine(message) });
      deps.logger.warn('sync refused: bad input', { ...log, error: message });
      return 'failed';
    }
    const message = (error as Error).message;
    await giveUpOnLastAttempt(deps, context, job, report, attempt, message);
    throw error instanceof RetryableJobError ? error : new RetryableJobError(`${app.name}@${cluster.name}: ${message}`, { cause: error });
  } finally {
    await deps.store.releaseLease(ref, deps.owner).catch(() => undefined);
  }
}

const AUTOMATED_REASONS: ReadonlySet<SyncJob['reason']> = new Set(['push', 'config', 'missed-push', 'self-heal']);

/**
 * The pin/suspend rule. An automated job for a held target is not applied: nothing in the
 * cluster or its recorded result changes, and the skipped commit gets a `failure` status that
 * names the hold and the way out (not `pending`, which would never resolve; not `success`,
 * which would claim a deploy that did not happen). Self-heal posts nothing: its commit is the
 * one already applied, whose status stays as it was.
 * A manual or rollback job for the pinned commit claims it again if a push requested another
 * commit meanwhile (the webhook always requests), so a rollback is never stood down by a push.
 */
async function holdForPin(job: SyncJob, ref: { app: string; cluster: string }, namespace: string, repoURL: string, target: TargetState | undefined, deps: WorkerDependencies): Promise<'go' | 'skipped'> {
  const pinned = target?.pinnedRevision;
  if (!pinned && !target?.suspended) return 'go';
  if (!AUTOMATED_REASONS.has(job.reason)) {
    if (pinned === job.revision && target?.requestedRevision !== job.revision) await deps.store.requestSync(ref, job.revision);
    return 'go';
  }
  const where = `${ref.app}@${ref.cluster}`;
  const hold = pinned ? `pinned to ${pinned.slice(0, 7)}` : 'suspended';
  deps.logger.info(`target is ${hold}; automated job not applied`, { ...ref, revision: job.revision, reason: job.reason, deliveryId: job.deliveryId });
  if (pinned) {
    // The webhook requested this commit; the pin stays the commit the target must end on.
    if (target?.requestedRevision === job.revision && job.revision !== pinned) await deps.store.putTargetState({ ...ref, requestedRevision: pinned });
  } else if (job.revision !== target?.revision && job.reason !== 'self-heal') {
    await deps.store.putTargetState({ ...ref, namespace, syncStatus: 'OutOfSync', message: `suspended: revision ${job.revision.slice(0, 7)} not applied (driftless resume ${ref.app})` });
  }
  if (job.reason !== 'self-heal' && job.revision !== pinned) {
    await postStatus(deps, { ...ref, repoURL, revision: job.revision }, 'failure', `not applied: ${where} is ${hold} (driftless resume ${ref.app})`, target);
  }
  return 'skipped';
}

/** Seconds until the next attempt under the app's retry policy, or undefined when this result is final. */
function retryDelay(app: AppSpec, result: ChangeSet, context: JobContext, deps: WorkerDependencies): number | undefined {
  const retry = app.syncPolicy.retry;
  if (!retry || result.status !== 'Failed') return undefined;
  const attempt = context.receiveCount;
  // Argo CD's limit counts retries after the first attempt; negative means no limit. The
  // queue's maxReceiveCount still bounds it: the last delivery's result is final.
  if ((retry.limit >= 0 && attempt > retry.limit) || attempt >= deps.maxReceiveCount) return undefined;
  const delayMs = Math.min(retry.backoff.durationMs * retry.backoff.factor ** (attempt - 1), retry.backoff.maxDurationMs);
  return Math.max(1, Math.round(delayMs / 1000));
}

/** On the attempt after which SQS moves the job to the DLQ: say so on the target, the commit and the bus. */
async function giveUpOnLastAttempt(deps: WorkerDependencies, context: JobContext, job: SyncJob, report: TargetReport, attempt: Attempt, message: string): Promise<void> {
  if (context.receiveCount < deps.maxReceiveCount) return;
  const ref = { app: report.app, cluster: report.cluster };
  const summary = `gave up after ${context.receiveCount} attempts: ${firstLine(message)}`;
  await recordFailure(deps, job, ref, attempt, `gave up after ${context.receiveCount} attempts (the job is in the dead-letter queue): ${message}`);
  await postStatus(deps, report, 'error', summary);
  await emit(deps, 'Sync Failed', { ...ref, revision: job.revision, reason: job.reason, syncStatus: 'Failed', summary });
}

/** Only health is missing, the app's overall sync time is not used up, and there is work left. */
function needsMoreTime(result: ChangeSet, job: SyncJob, deps: WorkerDependencies): boolean {
  if (result.status !== 'Failed') return false;
  const onlyWaiting = result.objects.every((change) => change.action !== 'failed' || change.health === 'Progressing') && result.objects.some((change) => change.health === 'Progressing');
  const elapsed = (deps.now?.() ?? new Date()).getTime() - Date.parse(job.enqueuedAt);
  return onlyWaiting && /timed out/.test(result.message) && elapsed < APP_SYNC_TIMEOUT_MS;
}

/** One sync attempt: the request it works for (seq from beginSync) and where it records. */
interface Attempt {
  seq: number;
  startedAt: string;
  namespace: string;
  /** The namespace already on the target, so an unchanged one is not written again. */
  knownNamespace?: string;
}

async function record(deps: WorkerDependencies, job: SyncJob, ref: TargetRef, attempt: Attempt, result: ChangeSet, renderKey: string): Promise<void> {
  await writeResult(deps, job, ref, attempt, {
    status: result.status === 'Succeeded' ? 'Synced' : 'Failed',
    health: result.health,
    message: result.message,
    counts: countActions(result.objects),
    inventory: result.inventory,
    renderKey,
  });
}

async function recordFailure(deps: WorkerDependencies, job: SyncJob, ref: TargetRef, attempt: Attempt, message: string): Promise<void> {
  await writeResult(deps, job, ref, attempt, { status: 'Failed', health: 'Unknown', message });
}

async function writeResult(deps: WorkerDependencies, job: SyncJob, ref: TargetRef, attempt: Attempt, outcome: Pick<SyncRecord, 'status' | 'health' | 'message' | 'counts' | 'inventory' | 'renderKey'>): Promise<void> {
  const finishedAt = (deps.now?.() ?? new Date()).toISOString();
  await deps.store.recordSyncResult({
    ...ref,
    ...outcome,
    seq: attempt.seq,
    revision: job.revision,
    startedAt: attempt.startedAt,
    finishedAt,
    durationMs: Date.parse(finishedAt) - Date.parse(attempt.startedAt),
    reason: job.reason,
  });
  if (attempt.knownNamespace !== attempt.namespace) await deps.store.putTargetState({ ...ref, namespace: attempt.namespace });
}

async function announce(deps: WorkerDependencies, report: TargetReport, job: SyncJob, result: ChangeSet): Promise<void> {
  const ref = { app: report.app, cluster: report.cluster };
  const counts = countActions(result.objects);
  const summary = `${result.status === 'Succeeded' ? 'Synced' : 'Sync failed'}, ${result.health}: ${result.message}`;
  const succeeded = result.status === 'Succeeded';
  await postStatus(deps, report, succeeded ? 'success' : 'failure', summary);
  const detail = { ...ref, revision: job.revision, ref: job.ref, reason: job.reason, deliveryId: job.deliveryId, syncStatus: succeeded ? ('Synced' as const) : ('Failed' as const), health: result.health, durationMs: result.durationMs, counts, summary };
  await emit(deps, succeeded ? 'Sync Succeeded' : 'Sync Failed', detail);
  if (result.health === 'Degraded') await emit(deps, 'Health Degraded', detail);
}

function isBadInput(error: unknown): boolean {
  return error instanceof RenderError || error instanceof SyncInputError || error instanceof KubeConfigError || (error instanceof SourceError && error.name === 'RevisionNotFoundError');
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

