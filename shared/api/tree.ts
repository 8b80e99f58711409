// GET /api/apps/:app/clusters/:cluster/tree: the app's live objects (its recorded inventory)
// and what controllers made of them, hung under their owners by ownerReferences: Deployment →
// ReplicaSet → Pod, CronJob → Job → Pod, StatefulSet / DaemonSet → Pod. One LIST per kind and
// namespace (readLive for the inventory; one more per child kind, only in the namespaces where
// an owner of it is), never a GET per object.
import { Discovery, resourcePath } from '../kube/discovery.ts';
import { assessHealth } from '../kube/health/index.ts';
import { readLive } from '../kube/live.ts';
import { groupOf, type KubeObject } from '../kube/object.ts';
import { objectKey } from '../kube/tracking.ts';
import type { Identity } from '../rbac/identity.ts';
import { entryKey } from '../sync/inventory.ts';
import { ACTIONS } from './access.ts';
import type { ResourceNode, ResourceTree } from './contract.ts';
import type { ApiDeps } from './deps.ts';
import { RouteNotFoundError } from './errors.ts';
import { optional } from './optional.ts';
import { namedTarget, type NamedTarget } from './target-lookup.ts';

/** Child kinds in the order they are looked for, each with the kinds that own it. */
const CHILDREN: Array<{ apiVersion: string; kind: string; ownerKinds: string[] }> = [
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', ownerKinds: ['Deployment'] },
  { apiVersion: 'batch/v1', kind: 'Job', ownerKinds: ['CronJob'] },
  { apiVersion: 'v1', kind: 'Pod', ownerKinds: ['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'] },
];

export async function resourceTree(app: string, clusterName: string, identity: Identity, deps: ApiDeps): Promise<ResourceTree> {
  const target = await namedTarget(app, clusterName, identity, ACTIONS.read, deps);
  return { app, cluster: clusterName, nodes: await liveNodes(target, clusterName, deps) };
}

/** The tree's nodes for a target the caller may read (the events route reads them too). */
export async function liveNodes(target: NamedTarget, clusterName: string, deps: ApiDeps): Promise<ResourceNode[]> {
  if (!target.cluster) throw new RouteNotFoundError(`cluster "${clusterName}" is no longer registered: its live objects cannot be read`);
  const entries = target.state?.inventory?.entries ?? [];
  if (entries.length === 0) return [];
  const client = await deps.connect(target.cluster);
  const discovery = new Discovery(client);
  const live = await readLive(client, discovery, entries);

  const nodes: ResourceNode[] = [];
  const owners = new Map<string, KubeObject>();
  for (const entry of entries) {
    const object = live.get(entryKey(entry));
    nodes.push({
      group: groupOf(entry.apiVersion),
      kind: entry.kind,
      ...optional('namespace', entry.namespace),
      name: entry.name,
      ...optional('uid', object?.metadata.uid),
      health: object ? assessHealth(object).status : 'Missing',
      managed: true,
    });
    if (object?.metadata.uid) owners.set(object.metadata.uid, object);
  }
  const seen = new Set(nodes.map((node) => `${node.group}/${node.kind}/${node.namespace ?? ''}/${node.name}`));
  for (const child of CHILDREN) {
    const namespaces = new Set(
      [...owners.values()]
        .filter((owner) => child.ownerKinds.includes(owner.kind) && owner.metadata.namespace)
        .map((owner) => owner.metadata.namespace as string),
    );
    if (namespaces.size === 0) continue;
    const info = await discovery.lookup(child.apiVersion, child.kind);
    if (!info) continue;
    const lists = await Promise.all([...namespaces].map((namespace) => client.get<{ items?: KubeObject[] }>(resourcePath(info, namespace))));
    for (const item of lists.flatMap((list) => list.items ?? [])) {
      const object = { ...item, apiVersion: child.apiVersion, kind: child.kind };
      const ownerUid = controllerUid(object, owners);
      if (!ownerUid || seen.has(objectKey(object))) continue;
      seen.add(objectKey(object));
      nodes.push({
        group: groupOf(child.apiVersion),
        kind: child.kind,
        ...optional('namespace', object.metadata.namespace),
        name: object.metadata.name ?? '',
        ...optional('uid', object.metadata.uid),
        health: assessHealth(object).status,
        parentUid: ownerUid,
        managed: false,
      });
      if (object.metadata.uid) owners.set(object.metadata.uid, object);
    }
  }
  return nodes;
}

/** The uid of the owner in the tree that controls the object (the controller reference first, else any listed owner). */
function controllerUid(object: KubeObject, owners: Map<string, KubeObject>): string | undefined {
  const references = (object.metadata.ownerReferences ?? []) as Array<{ uid?: string; controller?: boolean }>;
  const inTree = references.filter((reference) => reference.uid !== undefined && owners.has(reference.uid));
  return (inTree.find((reference) => reference.controller === true) ?? inTree[0])?.uid;
}
