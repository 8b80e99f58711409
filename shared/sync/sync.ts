// One sync of one app to one cluster, top to bottom:
//   prepare desired → read live → project bounds → admission policies → preflight → shared resources → ensure
//   namespace → apply steps (hooks, CRDs first, wait healthy; PruneLast's final Sync wave
//   before PostSync, prune-waves.ts) → SyncFail hooks if that failed → prune → summarise.
// A health wait cancelled by `options.cancelled` (CancelHealthCheckOnNewRevision) stops it
// all there: no later step, no SyncFail hooks, no prune; the change set says `cancelled`.
// Render happens before (the caller renders once per commit and may reuse it); recording
// the result happens after (the caller stores, posts and emits the change set).
import type { KubeClient } from '../kube/client.ts';
import type { Discovery } from '../kube/discovery.ts';
import type { IgnoreDifference } from '../kube/ignore-differences.ts';
import { refKey } from '../kube/live.ts';
import type { KubeObject } from '../kube/object.ts';
import type { ApplyBasis, StepContext } from './apply-step.ts';
import { applySteps, type StepEvent, type StepsResult } from './apply-steps.ts';
import { DEFAULT_APP_SYNC_OPTIONS, type AppSyncOptions } from './app-sync-options.ts';
import { objectChange, type ChangeSet, type ObjectChange, type ObjectSource } from './changeset.ts';
import { ensureNamespace, namespaceWrite, type NamespaceMetadata } from './ensure-namespace.ts';
import { entryKey, entryOf, type Inventory, type InventoryEntry } from './inventory.ts';
import { namespaceRef, readLiveState } from './live-state.ts';
import type { SyncPlan } from './plan.ts';
import { preflight } from './preflight.ts';
import { prepareDesired } from './prepare.ts';
import { checkPolicies, type SyncPolicies } from './policy-check.ts';
import { checkProjectBounds, pruneRefusal, type ProjectBounds } from './project-bounds.ts';
import { pruneWaves } from './prune-waves.ts';
import { refuseSharedResources } from './shared-resources.ts';
import { summarise } from './summarise.ts';
import { runSyncFailHooks } from './sync-fail.ts';

export type { StepEvent } from './apply-steps.ts';

export interface SyncRequest {
  app: string;
  revision?: string;
  /** Rendered objects with where they came from. */
  objects: Array<{ object: KubeObject; source?: ObjectSource }>;
  client: KubeClient;
  discovery: Discovery;
  /** The inventory the previous sync returned. */
  previous?: Inventory;
  /**
   * The app's project on the target cluster: every object written or pruned must be one it
   * permits. Absent for a folder sync from the CLI, which runs with the user's own credentials.
   */
  project?: ProjectBounds;
  /**
   * The registry's admission policies: every object written is asked first, a Deny refuses the
   * sync, a Warn is said with the result. Absent: no policies (a folder sync from the CLI).
   */
  policies?: SyncPolicies;
  options?: SyncRunOptions;
  /** Called as each step starts and ends, for progress output. */
  onStep?: (event: StepEvent) => void;
}

/** Options of one sync run (an object's own sync-options annotation is ObjectSyncOptions). */
export interface SyncRunOptions {
  prune?: boolean;
  allowEmpty?: boolean;
  dryRun?: boolean;
  /** Whole sync, milliseconds. Default five minutes. */
  timeoutMs?: number;
  /** Create this namespace first if it does not exist (Argo CD's CreateNamespace=true). */
  createNamespace?: string;
  /** Parallel writes within a wave. */
  concurrency?: number;
  /** The app's `spec.syncPolicy.syncOptions`, parsed (app-sync-options.ts); absent ones are Argo CD's defaults. */
  syncOptions?: Partial<AppSyncOptions>;
  /** The app's `spec.ignoreDifferences`, for RespectIgnoreDifferences and ApplyOutOfSyncOnly. */
  ignoreDifferences?: readonly IgnoreDifference[];
  /** Argo CD's managedNamespaceMetadata: labels and annotations of the createNamespace namespace. */
  namespaceMetadata?: NamespaceMetadata;
  /** Said with the result (e.g. sync options that are ignored). */
  warnings?: string[];
  /**
   * Asked every few seconds while the sync waits for health: a reason (a newer revision was
   * requested) stops the wait and the sync at once, nothing more applied. Flux's
   * CancelHealthCheckOnNewRevision; absent, a wait runs to health or the timeout.
   */
  cancelled?: () => Promise<string | undefined>;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_CONCURRENCY = 16;

export async function sync(request: SyncRequest): Promise<ChangeSet> {
  const startedAt = new Date();
  const { app, client, discovery } = request;
  const options = request.options ?? {};
  const appOptions: AppSyncOptions = { ...DEFAULT_APP_SYNC_OPTIONS, ...options.syncOptions };
  const dryRun = Boolean(options.dryRun);
  const context: StepContext = {
    client,
    discovery,
    dryRun,
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    deadline: startedAt.getTime() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    validate: appOptions.validate,
    project: request.project,
    cancel: options.cancelled && { check: options.cancelled },
    write: {
      replace: appOptions.replace,
      validate: appOptions.validate,
      applyOutOfSyncOnly: appOptions.applyOutOfSyncOnly,
      respectIgnoreDifferences: appOptions.respectIgnoreDifferences,
      ignoreDifferences: options.ignoreDifferences ?? [],
    },
  };

  const desired = await prepareDesired(app, request.objects, discovery);
  const entries = desired.resources.map(({ object }) => entryOf(object));
  const live = await readLiveState(client, discovery, desired, options.createNamespace);
  const namespaceToWrite = namespaceWrite(
    options.createNamespace,
    liveNamespace(live.objects, options.createNamespace),
    options.namespaceMetadata,
    rendersNamespace(desired.plan, options.createNamespace),
  );
  await checkProjectBounds(request.project, desired, discovery, {
    create: options.createNamespace,
    existing: live.existingNamespaces,
    label: namespaceToWrite?.live !== undefined,
  });
  const policyWarnings = await checkPolicies(request.policies, desired, discovery, live.objects);
  const notServedYet = await preflight(desired.plan, discovery, {
    createNamespace: options.createNamespace,
    existingNamespaces: live.existingNamespaces,
    skipDryRunOnMissingResource: appOptions.skipDryRunOnMissingResource,
  });
  if (appOptions.failOnSharedResource) refuseSharedResources(desired, live.objects);
  const namespace = await ensureNamespace(context, namespaceToWrite);

  const prunes = pruneWaves(
    { ...context, app },
    staleEntries(request.previous, entries),
    {
      renderIsEmpty: entries.length === 0,
      allowEmpty: Boolean(options.allowEmpty),
      refusal: pruneRefusal(request.project),
      appPrune: appOptions.prune,
      propagationPolicy: appOptions.prunePropagationPolicy,
    },
    { enabled: Boolean(options.prune), pruneLast: appOptions.pruneLast, plan: desired.plan },
  );
  const steps: StepsResult =
    namespace?.action === 'failed'
      ? { changes: [], failure: `cannot ${namespaceToWrite?.live ? 'label' : 'create'} namespace ${namespace.name}: ${namespace.message}` }
      : await applySteps(context, desired.plan, { ...applyBasis(live.objects, entries, request.previous), notServedYet }, request.onStep, prunes.final);
  // Superseded is not failed: SyncFail hooks are for a sync that failed, and nothing more is written.
  const syncFail = steps.failure && steps.cancelled === undefined ? await runSyncFailHooks(context, desired.plan) : [];
  const pruned = await prunes.afterSync(Boolean(steps.failure));

  const result = summarise({
    app,
    revision: request.revision,
    dryRun,
    startedAt,
    changes: [...(namespace ? [namespace] : []), ...skippedChanges(desired.plan), ...steps.changes, ...syncFail, ...pruned.changes],
    failure: steps.failure,
    desired: entries,
    applied: appliedKeys(steps.changes),
    carried: pruned.kept,
    previous: request.previous,
    warnings: [...(options.warnings ?? []), ...policyWarnings],
  });
  return steps.cancelled === undefined ? result : { ...result, cancelled: steps.cancelled };
}

function applyBasis(live: Map<string, KubeObject>, entries: InventoryEntry[], previous: Inventory | undefined): Omit<ApplyBasis, 'notServedYet'> {
  const before = new Map((previous?.entries ?? []).map((entry) => [entryKey(entry), entry.fingerprint]));
  return { live, unchangedInGit: new Set(entries.filter((entry) => before.get(entryKey(entry)) === entry.fingerprint).map(entryKey)) };
}

function liveNamespace(live: ReadonlyMap<string, KubeObject>, name: string | undefined): KubeObject | undefined {
  return name ? live.get(refKey(namespaceRef(name))) : undefined;
}

/** Whether the app renders the Namespace itself: then its manifest, not managedNamespaceMetadata, says what it carries. */
function rendersNamespace(plan: SyncPlan<ObjectSource>, name: string | undefined): boolean {
  return plan.steps.some((step) =>
    step.objects.some(({ object }) => object.apiVersion === 'v1' && object.kind === 'Namespace' && object.metadata.name === name),
  );
}

/** What the plan leaves out on purpose (Skip, hooks of events a sync never has), and why. */
function skippedChanges(plan: SyncPlan<ObjectSource>): ObjectChange[] {
  return plan.skipped.map(({ object, source, reason }) => objectChange(object, { action: 'skipped', message: `not applied: ${reason}`, source }));
}

/** Entries of the previous inventory that Git no longer has: candidates for prune. */
function staleEntries(previous: Inventory | undefined, entries: InventoryEntry[]): InventoryEntry[] {
  const desired = new Set(entries.map(entryKey));
  return (previous?.entries ?? []).filter((entry) => !desired.has(entryKey(entry)));
}

/** objectKeys of the resources this sync applied or found up to date (not hooks, not skipped, not failed). */
function appliedKeys(changes: ObjectChange[]): Set<string> {
  const done = new Set<ObjectChange['action']>(['created', 'configured', 'unchanged']);
  return new Set(changes.filter((change) => !change.hook && done.has(change.action)).map(entryKey));
}
