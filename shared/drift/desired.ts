// The objects a sync of the last applied render put on the cluster, prepared exactly as the
// sync prepares them (cluster scope from discovery, tracking annotation, plan): hooks and
// objects marked Skip are not part of the desired state.
import type { Discovery } from '../kube/discovery.ts';
import type { KubeObject } from '../kube/object.ts';
import { withTracking } from '../kube/tracking.ts';
import type { RenderedObject } from '../render/types.ts';
import { planSync } from '../sync/plan.ts';

export async function desiredObjects(app: string, rendered: ReadonlyArray<Pick<RenderedObject, 'object'>>, discovery: Discovery): Promise<KubeObject[]> {
  const scoped = await Promise.all(rendered.map(({ object }) => withClusterScope(object, discovery)));
  const plan = planSync(scoped.map((object) => ({ object: withTracking(app, object) })));
  return plan.steps.flatMap((step) => step.objects).filter((planned) => !planned.isHook && planned.object.metadata.name).map((planned) => planned.object);
}

/** As the sync does: a cluster-scoped object keeps no namespace (the server drops it). */
async function withClusterScope(object: KubeObject, discovery: Discovery): Promise<KubeObject> {
  if (!object.metadata.namespace) return object;
  const info = await discovery.lookup(object.apiVersion, object.kind);
  if (!info || info.namespaced) return object;
  const { namespace: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata };
}
