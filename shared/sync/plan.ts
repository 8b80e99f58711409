// The order of a sync, decided before anything touches the cluster: steps by phase
// (PreSync, Sync, PostSync, then SyncFail, which the caller runs only when the sync
// failed), within a phase by wave, within a step by kind order, namespace and name.
// Every step is one unit for the caller: apply it, wait for it to be healthy, go on.
//
// A hook listed for several phases runs in each of them, as in Argo CD. Objects that are
// not hooks always belong to the Sync phase.
import { describeObject, type KubeObject } from '../kube/object.ts';
import { objectKey } from '../kube/tracking.ts';
import { syncOptions, syncWave, type ObjectSyncOptions } from './annotations.ts';
import { DuplicateTargetError, SyncInputError, UnnamedObjectError } from './errors.ts';
import { hookRole, SYNC_PHASES, type DeletePolicy, type SyncPhase } from './hooks.ts';
import { compareKindOrder, compareStrings } from './kind-order.ts';

export interface PlanInput<S = unknown> {
  object: KubeObject;
  /** Where render found the object; carried through untouched. */
  source?: S;
}

export interface PlannedObject<S = unknown> {
  object: KubeObject;
  source?: S;
  isHook: boolean;
  /** Empty for objects that are not hooks. */
  deletePolicies: DeletePolicy[];
  syncOptions: ObjectSyncOptions;
}

export interface SyncStep<S = unknown> {
  phase: SyncPhase;
  wave: number;
  objects: PlannedObject<S>[];
}

export interface SkippedObject<S = unknown> {
  object: KubeObject;
  source?: S;
  reason: string;
}

export interface SyncPlan<S = unknown> {
  /** In execution order. SyncFail steps come last and run only after a failure. */
  steps: SyncStep<S>[];
  /** Rendered but deliberately not applied (Skip, or a hook for an event a sync never has). */
  skipped: SkippedObject<S>[];
}

/** Throws a SyncInputError (with `source` set) for the first object that cannot be planned. */
export function planSync<S = unknown>(inputs: ReadonlyArray<PlanInput<S>>): SyncPlan<S> {
  const steps = new Map<string, SyncStep<S>>();
  const skipped: SkippedObject<S>[] = [];
  const seen = new Set<string>();

  for (const input of inputs) {
    try {
      const entry = planOne(input, seen);
      if ('reason' in entry) {
        skipped.push(entry);
        continue;
      }
      for (const phase of entry.phases) {
        const key = `${phase}\u0000${entry.wave}`;
        let step = steps.get(key);
        if (!step) {
          step = { phase, wave: entry.wave, objects: [] };
          steps.set(key, step);
        }
        step.objects.push(entry.planned);
      }
    } catch (error) {
      if (error instanceof SyncInputError && input.source !== undefined) error.source ??= input.source;
      throw error;
    }
  }

  const ordered = [...steps.values()].sort(compareSteps);
  for (const step of ordered) step.objects.sort((a, b) => compareObjects(a.object, b.object));
  return { steps: ordered, skipped };
}

interface Placed<S> {
  planned: PlannedObject<S>;
  phases: SyncPhase[];
  wave: number;
}

function planOne<S>(input: PlanInput<S>, seen: Set<string>): Placed<S> | SkippedObject<S> {
  const { object, source } = input;
  const role = hookRole(object);
  if (role.role === 'skip') return { object, source, reason: role.reason };

  const isHook = role.role === 'hook';
  // Server-side apply needs a name; only hooks are created, and so may use generateName.
  if (!object.metadata.name && !(isHook && object.metadata.generateName)) {
    throw new UnnamedObjectError(describeObject(object));
  }
  if (object.metadata.name) {
    // A hook may share its identity with nothing else either: two applies of one name fight.
    const key = objectKey(object);
    if (seen.has(key)) throw new DuplicateTargetError(describeObject(object));
    seen.add(key);
  }

  const planned: PlannedObject<S> = {
    object,
    source,
    isHook,
    deletePolicies: isHook ? role.deletePolicies : [],
    syncOptions: syncOptions(object),
  };
  return { planned, phases: isHook ? role.phases : ['Sync'], wave: syncWave(object) };
}

function compareSteps(a: SyncStep<unknown>, b: SyncStep<unknown>): number {
  return SYNC_PHASES.indexOf(a.phase) - SYNC_PHASES.indexOf(b.phase) || a.wave - b.wave;
}

function compareObjects(a: KubeObject, b: KubeObject): number {
  return compareKindOrder(a, b) || compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compareStrings(nameForOrder(a), nameForOrder(b));
}

function nameForOrder(object: KubeObject): string {
  return object.metadata.name ?? object.metadata.generateName ?? '';
}
