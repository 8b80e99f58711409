// Reads the live state of many objects with one LIST per resource and namespace instead of
// one GET per object.
import pLimit from 'p-limit';
import type { KubeClient } from './client.ts';
import { resourcePath, type Discovery, type ResourceInfo } from './discovery.ts';
import type { KubeObject } from './object.ts';
import { objectKey } from './tracking.ts';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** The reference to an object (an unnamed one, generateName only, gets the name ''). */
export function refOf(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): ObjectRef {
  return { apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name ?? '' };
}

/** The objectKey of a reference: group/kind/namespace/name. */
export function refKey(ref: ObjectRef): string {
  return objectKey({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { namespace: ref.namespace, name: ref.name } });
}

interface ObjectList {
  items: KubeObject[];
}

/**
 * Live objects for `refs`, keyed by objectKey. Kinds the cluster does not serve (a CRD not yet
 * applied) have no live objects. Lists run `concurrency` at a time.
 */
export async function readLive(client: KubeClient, discovery: Discovery, refs: ObjectRef[], concurrency = 8): Promise<Map<string, KubeObject>> {
  const groups = new Map<string, { info: ResourceInfo; namespace?: string; names: Set<string> }>();
  for (const ref of refs) {
    const info = await discovery.lookup(ref.apiVersion, ref.kind);
    if (!info) continue;
    const namespace = info.namespaced ? ref.namespace : undefined;
    const id = `${info.group}/${info.resource}/${namespace ?? ''}`;
    const group = groups.get(id) ?? { info, namespace, names: new Set<string>() };
    group.names.add(ref.name);
    groups.set(id, group);
  }
  const limit = pLimit(concurrency);
  const live = new Map<string, KubeObject>();
  await Promise.all(
    [...groups.values()].map((group) =>
      limit(async () => {
        // One object: a GET is cheaper than listing a whole namespace.
        if (group.names.size === 1) {
          const [name] = group.names;
          const object = await getObject(client, group.info, group.namespace, name);
          if (object) live.set(objectKey(withKind(object, group.info)), withKind(object, group.info));
          return;
        }
        const list = await client.get<ObjectList>(resourcePath(group.info, group.namespace));
        for (const item of list.items ?? []) {
          if (!group.names.has(item.metadata.name ?? '')) continue;
          const object = withKind(item, group.info);
          live.set(objectKey(object), object);
        }
      }),
    ),
  );
  return live;
}

export async function getObject(client: KubeClient, info: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
  try {
    return await client.get<KubeObject>(resourcePath(info, namespace, name));
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

/** Items of a LIST come without apiVersion and kind. */
export function withKind(object: KubeObject, info: ResourceInfo): KubeObject {
  if (object.kind && object.apiVersion) return object;
  return { ...object, apiVersion: info.group ? `${info.group}/${info.version}` : info.version, kind: info.kind };
}
