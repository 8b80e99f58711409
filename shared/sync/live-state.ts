// Read live: what the sync needs to know of the cluster before it writes, the namespaces its
// objects go into and then the objects it applies (one LIST per resource and namespace, see
// kube/live.ts), leaving out those in a namespace that does not exist.
import type { KubeClient } from '../kube/client.ts';
import type { Discovery } from '../kube/discovery.ts';
import { readLive, refKey, refOf, type ObjectRef } from '../kube/live.ts';
import type { KubeObject } from '../kube/object.ts';
import type { DesiredState } from './prepare.ts';

export interface LiveState {
  /** Live objects by objectKey; absent when not on the cluster. */
  objects: Map<string, KubeObject>;
  /** Of the namespaces the sync's objects go into (and the one it may create), those that exist. */
  existingNamespaces: Set<string>;
}

export async function readLiveState(client: KubeClient, discovery: Discovery, desired: DesiredState, createNamespace: string | undefined): Promise<LiveState> {
  const resources = desired.resources.map(({ object }) => refOf(object));
  // Hooks count too, generateName ones included: preflight checks their namespace as well.
  const namespaces = new Set(
    desired.plan.steps.flatMap((step) => step.objects.flatMap(({ object }) => (object.metadata.namespace ? [object.metadata.namespace] : []))),
  );
  if (createNamespace) namespaces.add(createNamespace);
  const namespaceRefs = [...namespaces].map((name) => namespaceRef(name));
  // The namespaces first: nothing namespaced can exist in a namespace that does not (the API
  // server refuses it), so a first sync into a new namespace reads nothing else — 4 GETs fewer
  // for each app of Flux's MTTP shape.
  // Namespace objects the app renders go with them: one read of the kind, as before.
  const wanted = new Set(namespaceRefs.map(refKey));
  const first = [...namespaceRefs, ...resources.filter((ref) => ref.apiVersion === 'v1' && ref.kind === 'Namespace' && !wanted.has(refKey(ref)))];
  const objects = await readLive(client, discovery, first);
  const existingNamespaces = new Set([...namespaces].filter((name) => objects.has(refKey(namespaceRef(name)))));
  const read = new Set(first.map(refKey));
  const rest: ObjectRef[] = [];
  for (const ref of resources) {
    if (read.has(refKey(ref))) continue;
    if (
      ref.namespace !== undefined &&
      namespaces.has(ref.namespace) &&
      !existingNamespaces.has(ref.namespace) &&
      (await discovery.lookup(ref.apiVersion, ref.kind))?.namespaced
    )
      continue;
    rest.push(ref);
  }
  for (const [key, object] of await readLive(client, discovery, rest)) objects.set(key, object);
  return { objects, existingNamespaces };
}

export function namespaceRef(name: string): ObjectRef {
  return { apiVersion: 'v1', kind: 'Namespace', name };
}
