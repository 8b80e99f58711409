// The live objects of a cluster's apps, found by their tracking annotation: one LIST per kind
// (over the whole cluster, or per namespace where the cluster is registered with a namespace
// scope), never a GET per object, shared by every app on the cluster. Lists are paged as the
// API server pages them, so a big kind is read in bounded pieces.
import pLimit from 'p-limit';
import type { AccessScope } from '../config/types.ts';
import type { KubeClient } from '../kube/client.ts';
import { resourcePath, type Discovery, type ResourceInfo } from '../kube/discovery.ts';
import type { KubeObject } from '../kube/object.ts';
import { isOwnedBy, parseTrackingId, TRACKING_ANNOTATION } from '../kube/tracking.ts';

export interface KindRef {
  apiVersion: string;
  kind: string;
}

export interface OwnedObjects {
  /** App name → its live objects (each carries the app's tracking id for itself), with the apiVersion it was listed in. */
  byApp: Map<string, KubeObject[]>;
  /** LIST requests made, pages included. */
  lists: number;
}

const PAGE_SIZE = 500;

interface ObjectList {
  metadata?: { continue?: string };
  items?: KubeObject[];
}

export async function listOwnedObjects(
  client: KubeClient,
  discovery: Discovery,
  kinds: KindRef[],
  apps: ReadonlySet<string>,
  scope?: AccessScope,
  concurrency = 4,
): Promise<OwnedObjects> {
  const resources = new Map<string, ResourceInfo>();
  for (const { apiVersion, kind } of kinds) {
    const info = await discovery.lookup(apiVersion, kind);
    // A kind the cluster does not serve (its CRD is not there) has no objects to find.
    if (!info || !info.verbs.includes('list')) continue;
    resources.set(`${info.group}/${info.version}/${info.resource}`, info);
  }
  const paths = [...resources.values()].flatMap((info) => collectionPaths(info, scope).map((path) => ({ info, path })));
  const byApp = new Map<string, KubeObject[]>();
  let lists = 0;
  const limit = pLimit(concurrency);
  await Promise.all(
    paths.map(({ info, path }) =>
      limit(async () => {
        let token: string | undefined;
        do {
          const page = await client.get<ObjectList>(path, { limit: String(PAGE_SIZE), continue: token });
          lists++;
          for (const item of page.items ?? []) {
            const object = withKind(item, info);
            const app = owningApp(object, apps);
            if (!app) continue;
            // Appended in place: copying the list per object is quadratic on a big kind.
            const found = byApp.get(app);
            if (found) found.push(object);
            else byApp.set(app, [object]);
          }
          token = page.metadata?.continue || undefined;
        } while (token);
      }),
    ),
  );
  return { byApp, lists };
}

function collectionPaths(info: ResourceInfo, scope: AccessScope | undefined): string[] {
  if (info.namespaced && scope?.type === 'namespace') return scope.namespaces.map((namespace) => resourcePath(info, namespace));
  return [resourcePath(info)];
}

/** The app among `apps` whose tracking id the object carries for itself (a copied id does not count). */
function owningApp(object: KubeObject, apps: ReadonlySet<string>): string | undefined {
  const value = object.metadata.annotations?.[TRACKING_ANNOTATION];
  const id = value === undefined ? undefined : parseTrackingId(value);
  if (!id || !apps.has(id.app)) return undefined;
  return isOwnedBy(id.app, object) ? id.app : undefined;
}

/** Items of a LIST come without apiVersion and kind. */
function withKind(object: KubeObject, info: ResourceInfo): KubeObject {
  return { ...object, apiVersion: info.group ? `${info.group}/${info.version}` : info.version, kind: info.kind };
}
