// The live objects a whole cluster scan needs, each resource read once for every app of the
// cluster, not once per app:
//
// - a resource whose wanted objects are in one namespace: one LIST of that namespace;
// - in several namespaces, or cluster-scoped: one LIST across the cluster
//   (`/apis/apps/v1/deployments`), falling back to one LIST per namespace when the cluster's
//   connection may not list across namespaces (403);
// - a single wanted object of a resource: one GET, cheaper than any LIST (as readLive does).
//
// LISTs are paged (`limit` / `continue`, as the API server documents for large collections;
// a server may ignore `limit` and answer in one page) and only the objects some app wants are
// kept, so memory grows with the apps' objects, not with what else runs on the cluster. A
// `continue` token that expired (410) restarts that LIST. Kinds the cluster does not serve
// (a CRD not yet applied) have no live objects.
import pLimit from 'p-limit';
import type { KubeClient } from '../kube/client.ts';
import { resourcePath, type Discovery, type ResourceInfo } from '../kube/discovery.ts';
import { getObject, refKey, withKind, type ObjectRef } from '../kube/live.ts';
import type { KubeObject } from '../kube/object.ts';
import { objectKey } from '../kube/tracking.ts';

/** Items per page of a LIST (the API server's own default for kubectl's chunking is 500). */
export const LIST_PAGE_SIZE = 500;
/** Restarts of a LIST whose continue token expired before it gives up. */
const MAX_RESTARTS = 2;

export interface ClusterReadOptions {
  /** LISTs and GETs in flight at once. */
  concurrency?: number;
  pageSize?: number;
}

interface ResourceGroup {
  info: ResourceInfo;
  namespaces: Set<string | undefined>;
  keys: Set<string>;
  /** The single wanted object, while there is only one. */
  only?: ObjectRef;
}

interface ObjectPage {
  items?: KubeObject[];
  metadata?: { continue?: string };
}

/** Live objects for `refs` (of any number of apps), keyed by objectKey. */
export async function readClusterLive(
  client: KubeClient,
  discovery: Discovery,
  refs: readonly ObjectRef[],
  options: ClusterReadOptions = {},
): Promise<Map<string, KubeObject>> {
  const groups = new Map<string, ResourceGroup>();
  for (const ref of refs) {
    const info = await discovery.lookup(ref.apiVersion, ref.kind);
    if (!info) continue;
    const id = `${info.group}/${info.resource}`;
    const group = groups.get(id) ?? { info, namespaces: new Set(), keys: new Set() };
    const key = refKey({ ...ref, namespace: info.namespaced ? ref.namespace : undefined });
    if (group.keys.size === 0) group.only = { ...ref, namespace: info.namespaced ? ref.namespace : undefined };
    group.keys.add(key);
    group.namespaces.add(info.namespaced ? ref.namespace : undefined);
    groups.set(id, group);
  }
  const limit = pLimit(options.concurrency ?? 8);
  const live = new Map<string, KubeObject>();
  const keep = (group: ResourceGroup, item: KubeObject) => {
    const object = withKind(item, group.info);
    const key = objectKey(object);
    if (group.keys.has(key)) live.set(key, object);
  };
  await Promise.all(
    [...groups.values()].map((group) =>
      limit(async () => {
        if (group.keys.size === 1 && group.only) {
          const object = await getObject(client, group.info, group.only.namespace, group.only.name);
          if (object) keep(group, object);
          return;
        }
        const namespaces = [...group.namespaces];
        if (!group.info.namespaced || namespaces.length === 1) {
          await listAll(client, resourcePath(group.info, namespaces[0]), options.pageSize, (item) => keep(group, item));
          return;
        }
        try {
          await listAll(client, resourcePath(group.info), options.pageSize, (item) => keep(group, item));
        } catch (error) {
          if ((error as { code?: number }).code !== 403) throw error;
          // Not allowed across namespaces: each namespace the apps use, one after another.
          for (const namespace of namespaces) await listAll(client, resourcePath(group.info, namespace), options.pageSize, (item) => keep(group, item));
        }
      }),
    ),
  );
  return live;
}

/** Every page of one LIST, each item handed to `each` as it arrives (a restart hands some again: `each` must not mind). */
async function listAll(client: KubeClient, path: string, pageSize = LIST_PAGE_SIZE, each: (item: KubeObject) => void): Promise<void> {
  for (let restarts = 0; ; restarts++) {
    let token: string | undefined;
    try {
      do {
        const page = await client.get<ObjectPage>(path, { limit: String(pageSize), continue: token });
        for (const item of page.items ?? []) each(item);
        token = page.metadata?.continue || undefined;
      } while (token);
      return;
    } catch (error) {
      // 410 Gone: the continue token outlived the server's compaction window; list again from the start.
      if ((error as { code?: number }).code === 410 && token !== undefined && restarts < MAX_RESTARTS) continue;
      throw error;
    }
  }
}
