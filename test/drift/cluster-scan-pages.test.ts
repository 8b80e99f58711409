// How a cluster scan reads a resource for many apps, against an API server that pages its
// LISTs (`limit` / `metadata.continue`, 410 Expired for a stale token) and may refuse a LIST
// across namespaces (403) — behaviours of a real kube-apiserver the sandbox does not have, so
// the server here is a stand-in that speaks that part of the protocol: paths, queries, list
// bodies and Status codes.
import { describe, expect, it } from 'vitest';
import { readClusterLive } from '../../shared/drift/cluster-live.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import type { Discovery, ResourceInfo } from '../../shared/kube/discovery.ts';
import { KubeApiError } from '../../shared/kube/errors.ts';
import type { KubeObject } from '../../shared/kube/object.ts';

const configMaps: ResourceInfo = { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true, verbs: ['list', 'get'] };
const discovery = {
  lookup: async (apiVersion: string, kind: string) => (apiVersion === 'v1' && kind === 'ConfigMap' ? configMaps : undefined),
} as unknown as Discovery;

const item = (namespace: string, name: string): KubeObject => ({ apiVersion: '', kind: '', metadata: { namespace, name } }) as KubeObject;

/** A server holding `items`, answering LISTs `limit` at a time; `refuse` answers 403 to a cluster-wide LIST, `expire` 410 to the first continue. */
function server(items: KubeObject[], options: { refuse?: boolean; expire?: boolean } = {}) {
  const requests: Array<{ path: string; query: Record<string, string | undefined> }> = [];
  let expired = false;
  const client = {
    async get(path: string, query: Record<string, string | undefined> = {}) {
      requests.push({ path, query });
      const named = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/.exec(path);
      if (named) {
        const found = items.find((object) => object.metadata.namespace === named[1] && object.metadata.name === named[2]);
        if (!found) throw new KubeApiError(404, { reason: 'NotFound' }, path);
        return { ...found, apiVersion: 'v1', kind: 'ConfigMap' };
      }
      const namespace = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps$/.exec(path)?.[1];
      if (namespace === undefined && options.refuse) throw new KubeApiError(403, { reason: 'Forbidden' }, path);
      if (query.continue && options.expire && !expired) {
        expired = true;
        throw new KubeApiError(410, { reason: 'Expired' }, path);
      }
      const all = items.filter((object) => namespace === undefined || object.metadata.namespace === namespace);
      const from = Number(query.continue ?? 0);
      const limit = Number(query.limit ?? all.length);
      const next = from + limit < all.length ? String(from + limit) : undefined;
      return { items: all.slice(from, from + limit), metadata: next ? { continue: next } : {} };
    },
  } as unknown as KubeClient;
  return { client, requests };
}

const ref = (namespace: string, name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name });
const cluster = [...['a', 'b', 'c'].flatMap((namespace) => ['one', 'two', 'other'].map((name) => item(namespace, name)))];

describe('reading a resource for the apps of a cluster', () => {
  it('lists across the cluster once, page by page, keeping only the objects the apps want', async () => {
    const { client, requests } = server(cluster);
    const live = await readClusterLive(client, discovery, [ref('a', 'one'), ref('b', 'two'), ref('c', 'missing')], { pageSize: 4 });
    expect(requests).toEqual([
      { path: '/api/v1/configmaps', query: { limit: '4', continue: undefined } },
      { path: '/api/v1/configmaps', query: { limit: '4', continue: '4' } },
      { path: '/api/v1/configmaps', query: { limit: '4', continue: '8' } },
    ]);
    expect([...live.keys()].sort()).toEqual(['/ConfigMap/a/one', '/ConfigMap/b/two']);
    // Items of a LIST come without apiVersion and kind: they are given back.
    expect(live.get('/ConfigMap/a/one')).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
  });

  it('lists the namespace alone when the apps use one', async () => {
    const { client, requests } = server(cluster);
    const live = await readClusterLive(client, discovery, [ref('b', 'one'), ref('b', 'two')]);
    expect(requests.map((request) => request.path)).toEqual(['/api/v1/namespaces/b/configmaps']);
    expect(live.size).toBe(2);
  });

  it('lists each namespace when a LIST across namespaces is forbidden', async () => {
    const { client, requests } = server(cluster, { refuse: true });
    const live = await readClusterLive(client, discovery, [ref('a', 'one'), ref('c', 'two')]);
    expect(requests.map((request) => request.path)).toEqual(['/api/v1/configmaps', '/api/v1/namespaces/a/configmaps', '/api/v1/namespaces/c/configmaps']);
    expect([...live.keys()].sort()).toEqual(['/ConfigMap/a/one', '/ConfigMap/c/two']);
  });

  it('starts a LIST again when its continue token expired', async () => {
    const { client, requests } = server(cluster, { expire: true });
    const live = await readClusterLive(client, discovery, [ref('a', 'one'), ref('c', 'other')], { pageSize: 5 });
    expect(requests.map((request) => request.query.continue)).toEqual([undefined, '5', undefined, '5']);
    expect([...live.keys()].sort()).toEqual(['/ConfigMap/a/one', '/ConfigMap/c/other']);
  });

  it('gets a single wanted object instead of listing', async () => {
    const { client, requests } = server(cluster);
    const live = await readClusterLive(client, discovery, [ref('a', 'two')]);
    expect(requests.map((request) => request.path)).toEqual(['/api/v1/namespaces/a/configmaps/two']);
    expect([...live.keys()]).toEqual(['/ConfigMap/a/two']);
  });
});
