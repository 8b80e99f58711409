// The result of a sync: what happened to each object, for the caller to print, store, post
// or emit. Nothing here logs.
import type { HealthStatus } from '../kube/health/status.ts';
import type { ObjectRef } from '../kube/live.ts';
import { describeObject, type KubeObject } from '../kube/object.ts';
import type { SourceLocation } from '../render/types.ts';
import type { Inventory } from './inventory.ts';
import type { SyncPhase } from './hooks.ts';
import type { PlannedObject, SyncStep } from './plan.ts';

export type ObjectAction = 'created' | 'configured' | 'unchanged' | 'pruned' | 'failed' | 'skipped' | 'deleted';

/** Where render found the object. */
export type ObjectSource = SourceLocation;

export interface ObjectChange {
  /** `Deployment/shop/web`. */
  object: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  phase?: SyncPhase;
  wave?: number;
  hook?: boolean;
  action: ObjectAction;
  health?: HealthStatus;
  message?: string;
  source?: ObjectSource;
  durationMs?: number;
}

/** How a sync ended (a target's recorded SyncStatus is shared/state's: Synced, OutOfSync, ...). */
export type SyncResultStatus = 'Succeeded' | 'Failed';

export interface ChangeSet {
  app: string;
  revision?: string;
  status: SyncResultStatus;
  /** Health of the app after the sync: the worst of its objects. */
  health: HealthStatus;
  message: string;
  dryRun: boolean;
  objects: ObjectChange[];
  /** What to keep for the next sync; undefined when the sync failed before applying. */
  inventory?: Inventory;
  /** What the user should know although it did not fail the sync (e.g. an ignored sync option). */
  warnings?: string[];
  /** Set when a health wait was cancelled (a newer revision): why. The sync stopped there, superseded rather than failed. */
  cancelled?: string;
  startedAt: string;
  durationMs: number;
}

const SEVERITY: HealthStatus[] = ['Healthy', 'Suspended', 'Progressing', 'Unknown', 'Missing', 'Degraded'];

export function worstHealth(statuses: Iterable<HealthStatus | undefined>): HealthStatus {
  let worst: HealthStatus = 'Healthy';
  for (const status of statuses) {
    if (status && SEVERITY.indexOf(status) > SEVERITY.indexOf(worst)) worst = status;
  }
  return worst;
}

export function countActions(changes: ObjectChange[]): Record<ObjectAction, number> {
  const counts: Record<ObjectAction, number> = { created: 0, configured: 0, unchanged: 0, pruned: 0, failed: 0, skipped: 0, deleted: 0 };
  for (const change of changes) counts[change.action]++;
  return counts;
}

/** What a step found out about one object: the action always, the rest when known. */
export type ChangeFields = Pick<ObjectChange, 'action'> & Partial<Omit<ObjectChange, 'action'>>;

/** The change of a rendered object: named as the object, or by its generateName prefix until the server names it. */
export function objectChange(object: KubeObject, fields: ChangeFields): ObjectChange {
  return {
    object: describeObject(object),
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name ?? object.metadata.generateName ?? '',
    ...fields,
  };
}

/** The change of a planned object in the step it ran in. */
export function stepChange(planned: PlannedObject<ObjectSource>, step: Pick<SyncStep, 'phase' | 'wave'>, fields: ChangeFields): ObjectChange {
  return objectChange(planned.object, { phase: step.phase, wave: step.wave, hook: planned.isHook || undefined, source: planned.source, ...fields });
}

/** The change of an object known only by reference (an inventory entry, a namespace we create). */
export function refChange(ref: ObjectRef, fields: ChangeFields): ObjectChange {
  return objectChange({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { namespace: ref.namespace, name: ref.name } }, fields);
}
