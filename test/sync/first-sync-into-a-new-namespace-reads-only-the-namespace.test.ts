// Before it writes, a sync reads what it will apply: but nothing namespaced can exist in a
// namespace that does not (the API server refuses to create it there), so a first sync into
// a namespace it creates reads the namespace alone. Once the namespace exists, every object
// is read again, as before.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const files = {
  'account.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: web }\n',
  'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { color: blue }\n',
  'role.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: fresh-reader }\nrules: []\n',
};

/** The GETs of objects (not discovery) the sandbox answered since `from`. */
function objectReads(from: number): string[] {
  return cluster.sandbox.requests
    .entries()
    .filter((entry) => entry.seq > from && entry.method === 'GET' && entry.resource !== undefined)
    .map((entry) => `${entry.path} ${entry.status}`);
}

function lastSeq(): number {
  return cluster.sandbox.requests.entries().at(-1)?.seq ?? 0;
}

it('reads only the namespace and the cluster-scoped objects when the namespace is new, and everything once it exists', async () => {
  const root = await writeApp(files);
  // Discovery first, so that only the sync's own reads are counted.
  await syncApp(cluster, 'warm', await writeApp({ 'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n' }), undefined, {}, 'default');

  const before = lastSeq();
  const first = await syncApp(cluster, 'fresh', root, undefined, { createNamespace: 'fresh' }, 'fresh');
  expect(first.status).toBe('Succeeded');
  expect(first.objects.map((change) => `${change.object} ${change.action}`).sort()).toEqual([
    'ClusterRole/fresh-reader created',
    'ConfigMap/fresh/settings created',
    'Namespace/fresh created',
    'ServiceAccount/fresh/web created',
  ]);
  const firstReads = objectReads(before);
  // Before the writes: the namespace (absent) and the cluster-scoped role; nothing inside the namespace.
  const beforeWrites = firstReads.slice(0, 2).sort();
  expect(beforeWrites).toEqual(['/api/v1/namespaces/fresh 404', '/apis/rbac.authorization.k8s.io/v1/clusterroles/fresh-reader 404']);
  expect(firstReads.filter((read) => read.startsWith('/api/v1/namespaces/fresh/') && read.endsWith(' 404'))).toEqual([]);

  const middle = lastSeq();
  const second = await syncApp(cluster, 'fresh', root, first.inventory, { createNamespace: 'fresh' }, 'fresh');
  expect(second.status).toBe('Succeeded');
  expect(second.objects.map((change) => `${change.object} ${change.action}`).sort()).toEqual([
    'ClusterRole/fresh-reader unchanged',
    'ConfigMap/fresh/settings unchanged',
    'ServiceAccount/fresh/web unchanged',
  ]);
  expect(objectReads(middle).sort()).toEqual([
    '/api/v1/namespaces/fresh 200',
    '/api/v1/namespaces/fresh/configmaps/settings 200',
    '/api/v1/namespaces/fresh/serviceaccounts/web 200',
    '/apis/rbac.authorization.k8s.io/v1/clusterroles/fresh-reader 200',
  ]);
});
