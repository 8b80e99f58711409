// The objects a sync of the last applied render put on the cluster: the sync's own prepare
// step, so hooks and what the plan skips are not part of the desired state here either.
import type { Discovery } from '../kube/discovery.ts';
import type { KubeObject } from '../kube/object.ts';
import type { RenderedObject } from '../render/types.ts';
import { prepareDesired } from '../sync/prepare.ts';

export async function desiredObjects(app: string, rendered: ReadonlyArray<Pick<RenderedObject, 'object'>>, discovery: Discovery): Promise<KubeObject[]> {
  const { resources } = await prepareDesired(app, rendered, discovery);
  return resources.map((planned) => planned.object);
}
