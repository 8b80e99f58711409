// Argo CD's Replace=true ("Sync Options" page): "Argo CD will use kubectl replace or kubectl
// create command to apply changes", and it "takes precedence over ServerSideApply=true". It
// may be set for the app or on one object. `kubectl create` is a POST, `kubectl replace` a PUT
// of the whole object, so the object becomes exactly what Git has: fields others set are
// gone, where a server-side apply keeps them. gitops-engine updates a CRD or Namespace at
// the version it read instead of replacing it blindly (sync_context.go applyObject).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/kube/object.ts';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const configMap = (name: string, data: Record<string, string>, annotations = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${annotations}data: ${JSON.stringify(data)}\n`;

const live = (name: string) => cluster.client.get<KubeObject>(`/api/v1/namespaces/default/configmaps/${name}`);

/** Someone else's change: a key Git does not have. */
const addTheirKey = (name: string) =>
  cluster.client.request({
    method: 'PATCH',
    path: `/api/v1/namespaces/default/configmaps/${name}`,
    query: { fieldManager: 'someone-else' },
    body: { data: { theirs: 'x' } },
    contentType: 'application/merge-patch+json',
  });

const writes = () => writesIn(cluster).map((entry) => `${entry.method} ${entry.path.replace(/\?.*/, '')}`);

describe('Replace=true', () => {
  it('creates with a POST, then replaces with a PUT: the object is what Git has, other keys gone', async () => {
    cluster.sandbox.requests.clear();
    const first = await syncApp(cluster, 'replacer', await writeApp({ 'c.yaml': configMap('replaced', { a: '1' }) }), undefined, {
      syncOptions: { replace: true },
    });
    expect(first.objects.map((change) => [change.name, change.action])).toEqual([['replaced', 'created']]);
    expect(writes()).toEqual(['POST /api/v1/namespaces/default/configmaps']);

    await addTheirKey('replaced');
    cluster.sandbox.requests.clear();
    const second = await syncApp(cluster, 'replacer', await writeApp({ 'c.yaml': configMap('replaced', { a: '2' }) }), first.inventory, {
      syncOptions: { replace: true },
    });
    expect(second.objects.map((change) => [change.name, change.action])).toEqual([['replaced', 'configured']]);
    expect(writes()).toEqual(['PUT /api/v1/namespaces/default/configmaps/replaced']);
    expect((await live('replaced')).data).toEqual({ a: '2' });
  });

  it('is not what a server-side apply does: that keeps the fields others own', async () => {
    const first = await syncApp(cluster, 'applier', await writeApp({ 'c.yaml': configMap('applied', { a: '1' }) }));
    await addTheirKey('applied');
    await syncApp(cluster, 'applier', await writeApp({ 'c.yaml': configMap('applied', { a: '2' }) }), first.inventory);
    expect((await live('applied')).data).toEqual({ a: '2', theirs: 'x' });
  });

  it('writes nothing when neither Git nor the cluster changed', async () => {
    const app = await writeApp({ 'c.yaml': configMap('steady', { a: '1' }) });
    const first = await syncApp(cluster, 'steady', app, undefined, { syncOptions: { replace: true } });
    cluster.sandbox.requests.clear();
    const second = await syncApp(cluster, 'steady', app, first.inventory, { syncOptions: { replace: true } });
    expect(second.objects.map((change) => change.action)).toEqual(['unchanged']);
    expect(writes()).toEqual([]);
  });

  it('works for one object from its own annotation, the others are applied', async () => {
    const annotated = configMap('one-replaced', { a: '1' }, '  annotations:\n    argocd.argoproj.io/sync-options: Replace=true\n');
    cluster.sandbox.requests.clear();
    const result = await syncApp(cluster, 'mixed', await writeApp({ 'a.yaml': annotated, 'b.yaml': configMap('one-applied', { a: '1' }) }));
    expect(result.status).toBe('Succeeded');
    expect(writes().sort()).toEqual(['PATCH /api/v1/namespaces/default/configmaps/one-applied', 'POST /api/v1/namespaces/default/configmaps']);
  });

  it("puts a Namespace at the version it read, other kinds unconditionally (kubectl replace's PUT)", async () => {
    const files = (value: string) => ({
      'ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: replaced-ns\n  labels: { tier: "${value}" }\n`,
      'c.yaml': configMap('in-replaced-ns', { a: value }).replace('  name: in-replaced-ns\n', '  name: in-replaced-ns\n  namespace: replaced-ns\n'),
    });
    const first = await syncApp(cluster, 'replace-ns', await writeApp(files('1')), undefined, { syncOptions: { replace: true } });
    expect(first.status).toBe('Succeeded');
    const before = await cluster.client.get<KubeObject>('/api/v1/namespaces/replaced-ns');
    cluster.sandbox.requests.clear();
    const second = await syncApp(cluster, 'replace-ns', await writeApp(files('2')), first.inventory, { syncOptions: { replace: true } });
    expect(second.status).toBe('Succeeded');
    const puts = writesIn(cluster).filter((entry) => entry.method === 'PUT');
    const versionOf = (kind: string) => (puts.find((entry) => (entry.body as KubeObject).kind === kind)?.body as KubeObject).metadata.resourceVersion;
    expect(puts).toHaveLength(2);
    expect(versionOf('Namespace')).toBe(before.metadata.resourceVersion);
    expect(versionOf('ConfigMap')).toBeUndefined();
    expect((await cluster.client.get<KubeObject>('/api/v1/namespaces/replaced-ns')).metadata.labels).toMatchObject({ tier: '2' });
  });
});
