// Argo CD's FailOnSharedResource=true ("Sync Options" page): "Argo CD will fail the sync
// whenever it finds a resource in the current Application that is already applied in the
// cluster by another Application." Driftless never takes such an object over in any case;
// with the option, the whole sync fails before its first write, naming each shared object.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedResourceError } from '../../shared/sync/errors.ts';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';
import { found } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: { k: v }\n`;

describe('FailOnSharedResource=true', () => {
  it('fails the sync before any write, naming the object and the app that has it', async () => {
    await syncApp(cluster, 'first-owner', await writeApp({ 'shared.yaml': configMap('shared-cm') }));
    // An Argo CD app's object counts too.
    await cluster.client.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'argo-cm', annotations: { 'argocd.argoproj.io/tracking-id': 'argo-app:/ConfigMap:default/argo-cm' } },
      },
    });
    const app = await writeApp({ 'shared.yaml': configMap('shared-cm'), 'argo.yaml': configMap('argo-cm'), 'own.yaml': configMap('own-cm') });
    cluster.sandbox.requests.clear();
    const failure = await syncApp(cluster, 'second', app, undefined, { syncOptions: { failOnSharedResource: true }, createNamespace: 'second-ns' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SharedResourceError);
    const message = (failure as Error).message;
    expect(message).toMatch(/^FailOnSharedResource=true: 2 objects are already tracked by another app, so nothing was synced/);
    expect(message).toContain('ConfigMap/default/shared-cm: owned by app first-owner');
    expect(message).toContain('ConfigMap/default/argo-cm: owned by Argo CD app argo-app');
    // The error points at the file of the first one, in plan order (kind, namespace, name).
    expect((failure as SharedResourceError).source).toMatchObject({ file: 'argo.yaml' });
    // Not even the namespace CreateNamespace would have made.
    expect(writesIn(cluster)).toEqual([]);
    expect(await found(cluster, '/api/v1/namespaces/default/configmaps/own-cm')).toBe(false);
  });

  it('without it, the shared object fails on its own and the rest is synced', async () => {
    const result = await syncApp(cluster, 'third', await writeApp({ 'shared.yaml': configMap('shared-cm'), 'own.yaml': configMap('third-cm') }));
    expect(result.objects.map((change) => [change.name, change.action])).toEqual([
      ['shared-cm', 'failed'],
      ['third-cm', 'created'],
    ]);
  });

  it('lets an app sync what is its own', async () => {
    const app = await writeApp({ 'shared.yaml': configMap('shared-cm') });
    const result = await syncApp(cluster, 'first-owner', app, undefined, { syncOptions: { failOnSharedResource: true } });
    expect(result.status).toBe('Succeeded');
  });
});
