// Prepare desired: the rendered objects as a sync puts them on the cluster, before anything
// is read or written. Cluster scope from discovery, the tracking annotation, the plan. The
// sync applies the result and the drift scan compares the cluster against it, so the two
// always see the same objects.
import type { Discovery } from '../kube/discovery.ts';
import type { KubeObject } from '../kube/object.ts';
import { withTracking } from '../kube/tracking.ts';
import { planSync, type PlanInput, type PlannedObject, type SyncPlan } from './plan.ts';

export interface DesiredState<S = unknown> {
  plan: SyncPlan<S>;
  /**
   * What the sync applies and keeps in its inventory, in plan order: not hooks (created per
   * run, never kept), not what the plan skips, and named (the plan refuses other unnamed ones).
   */
  resources: PlannedObject<S>[];
}

/** Throws what planSync throws (a SyncInputError) for input that cannot be planned. */
export async function prepareDesired<S>(app: string, objects: ReadonlyArray<PlanInput<S>>, discovery: Discovery): Promise<DesiredState<S>> {
  const tracked = await Promise.all(
    objects.map(async ({ object, source }) => ({ object: withTracking(app, await withClusterScope(object, discovery)), source })),
  );
  const plan = planSync(tracked);
  const resources = plan.steps.flatMap((step) => step.objects).filter((planned) => !planned.isHook && planned.object.metadata.name);
  return { plan, resources };
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
