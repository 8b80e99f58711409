// Two of Argo CD's sync options make spec.ignoreDifferences matter when syncing, not only when
// comparing ("Sync Options" page):
//  - ApplyOutOfSyncOnly=true: "sync only out-of-sync resources" (Sync hooks still run); an
//    object whose only difference is an ignored field is in sync, so it is not written.
//  - RespectIgnoreDifferences=true: the fields ignoreDifferences covers are left as the
//    cluster has them ("ignore the spec.replicas field from the desired state (git) during the
//    sync stage"), "only effective when the resource is already created in the cluster"; an
//    object's own annotation RespectIgnoreDifferences=true or =false overrides the app's.
// Without either, the desired state is applied as-is: the ignored field goes back to Git's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IgnoreDifference } from '../../shared/kube/ignore-differences.ts';
import type { KubeObject } from '../../shared/kube/object.ts';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';
import { hookJob } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const REPLICAS: IgnoreDifference[] = [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }];

const deployment = (name: string, image: string, annotations = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${annotations}spec:
  replicas: 2
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: web, image: "${image}" }] }
`;

const path = (name: string) => `/apis/apps/v1/namespaces/default/deployments/${name}`;
const live = (name: string) =>
  cluster.client.get<KubeObject & { spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } } }>(path(name));

/** What an HPA does: another manager sets replicas. */
const scaleTo = (name: string, replicas: number) =>
  cluster.client.request({
    method: 'PATCH',
    path: path(name),
    query: { fieldManager: 'kube-controller-manager' },
    body: { spec: { replicas } },
    contentType: 'application/merge-patch+json',
  });

describe('ApplyOutOfSyncOnly=true', () => {
  it('does not write an object whose only difference is an ignored field, and says unchanged', async () => {
    const app = await writeApp({ 'd.yaml': deployment('oos', 'nginx:1.27') });
    const first = await syncApp(cluster, 'oos', app);
    await scaleTo('oos', 5);
    cluster.sandbox.requests.clear();
    const second = await syncApp(cluster, 'oos', app, first.inventory, { syncOptions: { applyOutOfSyncOnly: true }, ignoreDifferences: REPLICAS });
    expect(second.objects.map((change) => [change.name, change.action])).toEqual([['oos', 'unchanged']]);
    expect(writesIn(cluster)).toEqual([]);
    expect((await live('oos')).spec.replicas).toBe(5);
  });

  it('without it, the object is applied as Git has it and the ignored field goes back', async () => {
    const app = await writeApp({ 'd.yaml': deployment('all', 'nginx:1.27') });
    const first = await syncApp(cluster, 'all', app);
    await scaleTo('all', 5);
    const second = await syncApp(cluster, 'all', app, first.inventory, { ignoreDifferences: REPLICAS });
    expect(second.objects.map((change) => [change.name, change.action])).toEqual([['all', 'configured']]);
    expect((await live('all')).spec.replicas).toBe(2);
  });

  it('still writes what is out of sync, and still runs the Sync hooks', async () => {
    const hook = hookJob('oos-hook', { 'argocd.argoproj.io/hook': 'Sync' });
    const first = await syncApp(cluster, 'oos2', await writeApp({ 'd.yaml': deployment('oos2', 'nginx:1.27'), 'h.yaml': hook }));
    const second = await syncApp(cluster, 'oos2', await writeApp({ 'd.yaml': deployment('oos2', 'nginx:1.28'), 'h.yaml': hook }), first.inventory, {
      syncOptions: { applyOutOfSyncOnly: true },
      ignoreDifferences: REPLICAS,
    });
    expect(second.objects.map((change) => [change.name, change.action])).toEqual([
      ['oos2', 'configured'],
      ['oos-hook', 'created'],
    ]);
  });
});

describe('RespectIgnoreDifferences=true', () => {
  it('applies what Git changed and keeps the live value of the ignored field', async () => {
    const first = await syncApp(cluster, 'rid', await writeApp({ 'd.yaml': deployment('rid', 'nginx:1.27') }));
    await scaleTo('rid', 5);
    const second = await syncApp(cluster, 'rid', await writeApp({ 'd.yaml': deployment('rid', 'nginx:1.28') }), first.inventory, {
      syncOptions: { respectIgnoreDifferences: true },
      ignoreDifferences: REPLICAS,
    });
    expect(second.status).toBe('Succeeded');
    const after = await live('rid');
    expect(after.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    expect(after.spec.replicas).toBe(5);
    // The inventory remembers Git's version, not the one with the live value in it.
    expect(second.inventory?.entries[0].fingerprint).not.toBe(first.inventory?.entries[0].fingerprint);
  });

  it("without it, Git wins: the ignored field goes back to Git's value", async () => {
    const first = await syncApp(cluster, 'rid-off', await writeApp({ 'd.yaml': deployment('rid-off', 'nginx:1.27') }));
    await scaleTo('rid-off', 5);
    await syncApp(cluster, 'rid-off', await writeApp({ 'd.yaml': deployment('rid-off', 'nginx:1.28') }), first.inventory, { ignoreDifferences: REPLICAS });
    expect((await live('rid-off')).spec.replicas).toBe(2);
  });

  it('writes a new object as Git has it: there is no live value to keep', async () => {
    await syncApp(cluster, 'rid-new', await writeApp({ 'd.yaml': deployment('rid-new', 'nginx:1.27') }), undefined, {
      syncOptions: { respectIgnoreDifferences: true },
      ignoreDifferences: REPLICAS,
    });
    expect((await live('rid-new')).spec.replicas).toBe(2);
  });

  it("follows an object's own annotation either way", async () => {
    const annotated = (value: boolean) => `  annotations:\n    argocd.argoproj.io/sync-options: RespectIgnoreDifferences=${value}\n`;
    const scaledThenChanged = async (name: string, value: boolean, respectForApp: boolean) => {
      const first = await syncApp(cluster, name, await writeApp({ 'd.yaml': deployment(name, 'nginx:1.27', annotated(value)) }));
      await scaleTo(name, 5);
      const changed = await writeApp({ 'd.yaml': deployment(name, 'nginx:1.28', annotated(value)) });
      await syncApp(cluster, name, changed, first.inventory, { syncOptions: { respectIgnoreDifferences: respectForApp }, ignoreDifferences: REPLICAS });
      return (await live(name)).spec.replicas;
    };
    // =true turns it on although the app does not; =false turns it off although the app does.
    expect(await scaledThenChanged('rid-ann-on', true, false)).toBe(5);
    expect(await scaledThenChanged('rid-ann-off', false, true)).toBe(2);
  });

  it('keeps a field a jq path expression names', async () => {
    const configMap = (value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rid-jq\ndata: { injected: git, version: "${value}" }\n`;
    const rules: IgnoreDifference[] = [{ kind: 'ConfigMap', jqPathExpressions: ['.data.injected'] }];
    const first = await syncApp(cluster, 'rid-jq', await writeApp({ 'c.yaml': configMap('1') }));
    await cluster.client.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/default/configmaps/rid-jq',
      query: { fieldManager: 'webhook' },
      body: { data: { injected: 'theirs' } },
      contentType: 'application/merge-patch+json',
    });
    await syncApp(cluster, 'rid-jq', await writeApp({ 'c.yaml': configMap('2') }), first.inventory, {
      syncOptions: { respectIgnoreDifferences: true },
      ignoreDifferences: rules,
    });
    expect((await cluster.client.get<KubeObject>('/api/v1/namespaces/default/configmaps/rid-jq')).data).toEqual({ injected: 'theirs', version: '2' });
  });
});
