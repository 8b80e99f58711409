// Read live: one read of the cluster for everything the sync needs to know before it writes,
// the objects it applies and the namespaces its objects go into (one LIST per resource and
// namespace, see kube/live.ts).
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
  const wanted = new Set(resources.map(refKey));
  const objects = await readLive(client, discovery, [...resources, ...namespaceRefs.filter((ref) => !wanted.has(refKey(ref)))]);
  return { objects, existingNamespaces: new Set([...namespaces].filter((name) => objects.has(refKey(namespaceRef(name))))) };
}

export function namespaceRef(name: string): ObjectRef {
  return { apiVersion: 'v1', kind: 'Namespace', name };
}
