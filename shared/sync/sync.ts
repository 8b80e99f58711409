// One sync of one app to one cluster, top to bottom:
//   track → plan → preflight → read live → apply step by step (hooks, CRDs first, wait
//   healthy) → prune → inventory.
// Render happens before (the caller renders once per commit and may reuse it); recording
// the result happens after (the caller stores, posts and emits the change set).
import { applyWave, type ApplyOutcome } from '../kube/apply.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Discovery } from '../kube/discovery.ts';
import { fingerprint } from '../kube/fingerprint.ts';
import type { HealthStatus } from '../kube/health/status.ts';
import { readLive } from '../kube/live.ts';
import { describeObject, type KubeObject } from '../kube/object.ts';
import { pruneObjects } from '../kube/prune.ts';
import { objectKey, withTracking } from '../kube/tracking.ts';
import { isSettled, waitHealthy } from '../kube/wait.ts';
import { countActions, worstHealth, type ChangeSet, type ObjectChange, type ObjectSource } from './changeset.ts';
import { entryKey, type Inventory, type InventoryEntry } from './inventory.ts';
import { syncOptions } from './annotations.ts';
import { compareKindOrder } from './kind-order.ts';
import { planSync, type PlannedObject, type SyncStep } from './plan.ts';
import { preflight } from './preflight.ts';
import { runHooks } from './run-hooks.ts';

export interface SyncRequest {
  app: string;
  revision?: string;
  /** Rendered objects with where they came from. */
  objects: Array<{ object: KubeObject; source?: ObjectSource }>;
  client: KubeClient;
  discovery: Discovery;
  /** The inventory the previous sync returned. */
  previous?: Inventory;
  options?: SyncOptions;
  /** Called as each step starts and ends, for progress output. */
  onStep?: (event: StepEvent) => void;
}

export interface SyncOptions {
  prune?: boolean;
  allowEmpty?: boolean;
  dryRun?: boolean;
  /** Whole sync, milliseconds. Default five minutes. */
  timeoutMs?: number;
  /** Create this namespace first if it does not exist (Argo CD's CreateNamespace=true). */
  createNamespace?: string;
  /** Parallel writes within a wave. */
  concurrency?: number;
}

export interface StepEvent {
  phase: string;
  wave: number;
  state: 'started' | 'finished';
  objects: number;
  changes?: ObjectChange[];
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export async function sync(request: SyncRequest): Promise<ChangeSet> {
  const startedAt = new Date();
  const options = request.options ?? {};
  const deadline = startedAt.getTime() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const concurrency = options.concurrency ?? 16;
  const { client, discovery, app } = request;

  const scoped = await Promise.all(request.objects.map(async ({ object, source }) => ({ object: await withClusterScope(object, discovery), source })));
  const tracked = scoped.map(({ object, source }) => ({ object: withTracking(app, object), source }));
  const plan = planSync(tracked);
  const named = plan.steps.flatMap((step) => step.objects).filter(({ object }) => object.metadata.name);
  // What the inventory will hold: every named object that is not a hook, with its fingerprint.
  const desiredEntries: InventoryEntry[] = named
    .filter(({ isHook }) => !isHook)
    .map(({ object }) => ({ apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name ?? '', fingerprint: fingerprint(object) }));
  const desiredByKey = new Map(desiredEntries.map((entry) => [entryKey(entry), entry]));

  // One read of the cluster for the objects and the namespaces they go into.
  const namespaces = new Set(named.map(({ object }) => object.metadata.namespace).filter((namespace): namespace is string => Boolean(namespace)));
  if (options.createNamespace) namespaces.add(options.createNamespace);
  const namespaceRefs = [...namespaces].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', name }));
  const live = await readLive(client, discovery, [...desiredEntries, ...namespaceRefs.filter((ref) => !desiredByKey.has(entryKey(ref)))]);
  const existingNamespaces = new Set([...namespaces].filter((name) => live.has(entryKey({ apiVersion: 'v1', kind: 'Namespace', name }))));
  await preflight(plan, discovery, { createNamespace: options.createNamespace, existingNamespaces });

  const previousByKey = new Map((request.previous?.entries ?? []).map((entry) => [entryKey(entry), entry]));

  const changes: ObjectChange[] = [];
  const change = (planned: PlannedObject<ObjectSource>, step: SyncStep<ObjectSource>, fields: Partial<ObjectChange>): ObjectChange => ({
    object: describeObject(planned.object),
    apiVersion: planned.object.apiVersion,
    kind: planned.object.kind,
    namespace: planned.object.metadata.namespace,
    name: planned.object.metadata.name ?? planned.object.metadata.generateName ?? '',
    phase: step.phase,
    wave: step.wave,
    hook: planned.isHook || undefined,
    action: 'failed',
    source: planned.source,
    ...fields,
  });

  let failure: string | undefined;
  if (options.createNamespace && !existingNamespaces.has(options.createNamespace)) {
    const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: options.createNamespace } };
    const [outcome] = await applyWave(client, discovery, [{ desired: namespace, unchangedInGit: false }], { dryRun: options.dryRun });
    if (outcome.action === 'failed') failure = `cannot create namespace ${options.createNamespace}: ${outcome.error}`;
  }

  const runnable = plan.steps.filter((step) => step.phase !== 'SyncFail');
  for (const step of failure ? [] : runnable) {
    request.onStep?.({ phase: step.phase, wave: step.wave, state: 'started', objects: step.objects.length });
    const stepChanges = await runStep(step);
    changes.push(...stepChanges);
    request.onStep?.({ phase: step.phase, wave: step.wave, state: 'finished', objects: step.objects.length, changes: stepChanges });
    const failed = stepChanges.filter((entry) => entry.action === 'failed' || entry.health === 'Degraded' || (!options.dryRun && entry.health !== undefined && !isSettled(entry.health)));
    if (failed.length > 0) {
      failure = `${step.phase} wave ${step.wave} failed: ${failed.map((entry) => `${entry.object}: ${entry.message ?? entry.health}`).join('; ')}`;
      break;
    }
  }

  if (failure) {
    for (const step of plan.steps.filter((candidate) => candidate.phase === 'SyncFail')) {
      changes.push(...(await runHooks({ client, discovery, deadline: deadline + 60_000, concurrency }, step.objects, (planned, fields) => change(planned, step, fields))));
    }
  }

  const appliedKeys = new Set(changes.filter((entry) => !entry.hook && entry.action !== 'failed').map((entry) => entryKey(entry)));
  const stale = (request.previous?.entries ?? []).filter((entry) => !desiredByKey.has(entryKey(entry)));
  // Kept in the inventory: what is still on the cluster and still ours, for a later prune.
  let carried = stale;
  if (!failure && options.prune) {
    const pruned = await prune(desiredEntries, stale);
    changes.push(...pruned.changes);
    carried = pruned.kept;
  }

  const failed = changes.filter((entry) => entry.action === 'failed');
  const counts = countActions(changes);
  const summary = `${counts.created} created, ${counts.configured} configured, ${counts.unchanged} unchanged, ${counts.pruned} pruned, ${counts.failed} failed`;
  const status = failure || failed.length > 0 ? 'Failed' : 'Succeeded';
  const health: HealthStatus = worstHealth(changes.filter((entry) => !entry.hook && entry.action !== 'pruned' && entry.action !== 'skipped').map((entry) => entry.health));
  return {
    app,
    revision: request.revision,
    status,
    health,
    message: failure ?? (failed.length > 0 ? `${summary}: ${failed.map((entry) => `${entry.object}: ${entry.message}`).join('; ')}` : summary),
    dryRun: Boolean(options.dryRun),
    objects: changes,
    inventory: options.dryRun
      ? request.previous
      : {
          app,
          revision: request.revision,
          // An object not applied this time keeps no fingerprint, so the next sync applies it.
          entries: [...desiredEntries.map((entry) => (appliedKeys.has(entryKey(entry)) ? entry : { ...entry, fingerprint: '' })), ...carried],
        },
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
  };

  async function runStep(step: SyncStep<ObjectSource>): Promise<ObjectChange[]> {
    const hooks = step.objects.filter((planned) => planned.isHook);
    const resources = step.objects.filter((planned) => !planned.isHook);
    const outcomes: ApplyOutcome[] = [];
    // Kind by kind in install order (a Namespace exists before what goes in it, a CRD is
    // established before its custom resources); the objects of one kind in parallel.
    for (const batch of byKind(resources, ({ object }) => object)) {
      const applied = await applyWave(
        client,
        discovery,
        batch.map(({ object }) => {
          const key = objectKey(object);
          return { desired: object, live: live.get(key), unchangedInGit: previousByKey.get(key)?.fingerprint === desiredByKey.get(key)?.fingerprint };
        }),
        { dryRun: options.dryRun, concurrency },
      );
      outcomes.push(...applied);
      if (applied.some((outcome) => outcome.action === 'failed')) break;
      if (batch[0].object.kind === 'CustomResourceDefinition' && !options.dryRun) {
        const established = await waitHealthy(client, discovery, applied.map((outcome) => outcome.live as KubeObject), { deadline });
        // Keep what was read, so the wave's health check does not read the CRDs again.
        applied.forEach((outcome, index) => (outcome.live = established[index].live ?? outcome.live));
        for (const { object } of batch) {
          const spec = object.spec as { group?: string; versions?: Array<{ name: string }> };
          for (const version of spec.versions ?? []) discovery.forget(`${spec.group}/${version.name}`);
        }
      }
    }
    const out = await assess(resources.slice(0, outcomes.length), outcomes, step);
    if (outcomes.length < resources.length) {
      out.push(...resources.slice(outcomes.length).map((planned) => change(planned, step, { action: 'skipped', message: 'not applied: an earlier object of this wave failed' })));
    }
    if (out.some((entry) => entry.action === 'failed' || (!options.dryRun && entry.health !== undefined && !isSettled(entry.health)))) return out;
    if (hooks.length > 0) {
      if (options.dryRun) out.push(...hooks.map((hook) => change(hook, step, { action: 'skipped', message: 'hooks do not run in a dry run' })));
      else out.push(...(await runHooks({ client, discovery, deadline, concurrency }, hooks, (planned, fields) => change(planned, step, fields))));
    }
    return out;
  }

  async function assess(batch: PlannedObject<ObjectSource>[], outcomes: ApplyOutcome[], step: SyncStep<ObjectSource>): Promise<ObjectChange[]> {
    if (options.dryRun) {
      return outcomes.map((outcome, index) => change(batch[index], step, { action: outcome.action, message: outcome.error, durationMs: outcome.durationMs }));
    }
    const applied = outcomes.filter((outcome) => outcome.live);
    const health = await waitHealthy(client, discovery, applied.map((outcome) => outcome.live as KubeObject), { deadline });
    return outcomes.map((outcome, index) => {
      const assessed = outcome.live ? health[applied.indexOf(outcome)] : undefined;
      const timedOut = assessed && !isSettled(assessed.status) && assessed.status !== 'Degraded';
      const message = outcome.error ?? (timedOut ? `not healthy before the sync timed out: ${assessed.status}${assessed.message ? ` (${assessed.message})` : ''}` : assessed?.message);
      return change(batch[index], step, { action: outcome.action, health: assessed?.status, message, durationMs: outcome.durationMs });
    });
  }

  async function prune(desired: InventoryEntry[], candidates: InventoryEntry[]): Promise<{ changes: ObjectChange[]; kept: InventoryEntry[] }> {
    if (candidates.length === 0) return { changes: [], kept: [] };
    if (desired.length === 0 && !options.allowEmpty) {
      return { changes: candidates.map((entry) => pruneChange(entry, 'skipped', 'not pruned: the render is empty and allowEmpty is off')), kept: candidates };
    }
    // Reverse install order: what depends on others goes first, Namespaces and CRDs last.
    const batches = byKind([...candidates].sort((a, b) => compareKindOrder(b, a)), (entry) => entry);
    const keep = (live: KubeObject) => {
      try {
        return syncOptions(live).prune === false ? 'Prune=false' : undefined;
      } catch {
        return 'its sync-options annotation cannot be read'; // when in doubt, do not delete
      }
    };
    const outcomes = await pruneObjects(client, discovery, app, batches, { dryRun: options.dryRun, concurrency, keep });
    const byRef = new Map(candidates.map((entry) => [entryKey(entry), entry]));
    return {
      changes: outcomes.map((outcome) => pruneChange(outcome.ref, outcome.action, outcome.reason)),
      kept: outcomes.filter((outcome) => outcome.stillOurs).flatMap((outcome) => byRef.get(entryKey(outcome.ref)) ?? []),
    };
  }
}

/** Consecutive runs of the same install rank (the items are already in install order). */
function byKind<T>(items: T[], typeOf: (item: T) => Pick<KubeObject, 'apiVersion' | 'kind'>): T[][] {
  const batches: T[][] = [];
  for (const item of items) {
    const last = batches[batches.length - 1];
    if (last && compareKindOrder(typeOf(last[0]), typeOf(item)) === 0) last.push(item);
    else batches.push([item]);
  }
  return batches;
}

function pruneChange(ref: { apiVersion: string; kind: string; namespace?: string; name: string }, action: 'pruned' | 'skipped' | 'failed', message?: string): ObjectChange {
  return {
    object: describeObject({ kind: ref.kind, metadata: { namespace: ref.namespace, name: ref.name } }),
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    namespace: ref.namespace,
    name: ref.name,
    action,
    message,
  };
}

/**
 * Render defaults namespaces from what it knows; the cluster knows better. A cluster-scoped
 * object keeps no namespace (the API server would ignore it, and its tracking id must not
 * carry one).
 */
async function withClusterScope(object: KubeObject, discovery: Discovery): Promise<KubeObject> {
  if (!object.metadata.namespace) return object;
  const info = await discovery.lookup(object.apiVersion, object.kind);
  if (!info || info.namespaced) return object;
  const { namespace: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata };
}
