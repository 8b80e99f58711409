// The app-level prune options, as Argo CD's "Sync Options" page has them:
//  - Prune=false (and Prune=confirm) "as a default option on the application level": what left
//    Git is not pruned, and the sync says it skipped it; "setting a Prune sync option on the
//    resource will always override" the app's. Confirmation is something Driftless has no way
//    to give, so a confirm-only object stays too.
//  - PrunePropagationPolicy=foreground|background|orphan: the propagation policy of the
//    delete (Kubernetes garbage collection: orphan leaves the dependents, without their owner
//    reference; background deletes them after the owner).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/kube/object.ts';
import type { SyncRunOptions } from '../../shared/sync/sync.ts';
import { startCluster, syncApp, writeApp, type TestCluster } from '../support/cluster.ts';
import { found, optionsConfigMap as configMap } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const path = (name: string) => `/api/v1/namespaces/default/configmaps/${name}`;

/** Syncs `anchor` and the dropped objects, then only `anchor`, with prune on and the given options. */
async function dropAll(app: string, dropped: Record<string, string>, options: SyncRunOptions) {
  const first = await syncApp(cluster, app, await writeApp({ 'anchor.yaml': configMap(`${app}-anchor`), ...dropped }));
  expect(first.status).toBe('Succeeded');
  return syncApp(cluster, app, await writeApp({ 'anchor.yaml': configMap(`${app}-anchor`) }), first.inventory, { prune: true, ...options });
}

describe("the app's Prune option", () => {
  it('Prune=false: nothing is pruned, each is reported skipped and stays in the inventory', async () => {
    const result = await dropAll('no-prune', { 'a.yaml': configMap('no-prune-a'), 'b.yaml': configMap('no-prune-b') }, { syncOptions: { prune: false } });
    expect(result.status).toBe('Succeeded');
    expect(result.objects.filter((change) => change.action === 'skipped').map((change) => [change.name, change.message])).toEqual([
      ['no-prune-a', "Prune=false in the app's syncOptions"],
      ['no-prune-b', "Prune=false in the app's syncOptions"],
    ]);
    expect(await found(cluster, path('no-prune-a'))).toBe(true);
    expect(result.inventory?.entries.map((entry) => entry.name).sort()).toEqual(['no-prune-a', 'no-prune-anchor', 'no-prune-b']);
  });

  it("an object's own Prune=true overrides the app's Prune=false", async () => {
    const result = await dropAll(
      'override',
      { 'a.yaml': configMap('override-a', 'Prune=true'), 'b.yaml': configMap('override-b') },
      { syncOptions: { prune: false } },
    );
    expect(result.objects.filter((change) => change.name !== 'override-anchor').map((change) => [change.name, change.action])).toEqual([
      ['override-a', 'pruned'],
      ['override-b', 'skipped'],
    ]);
    expect(await found(cluster, path('override-a'))).toBe(false);
  });

  it('Prune=confirm, on the app or on the object, keeps the object: nobody can confirm', async () => {
    const app = await dropAll('confirm-app', { 'a.yaml': configMap('confirm-app-a') }, { syncOptions: { prune: 'confirm' } });
    expect(app.objects.find((change) => change.name === 'confirm-app-a')).toMatchObject({
      action: 'skipped',
      message: expect.stringMatching(/^Prune=confirm in the app's syncOptions: pruning it waits for a confirmation/),
    });
    const object = await dropAll('confirm-obj', { 'a.yaml': configMap('confirm-obj-a', 'Prune=confirm') }, {});
    expect(object.objects.find((change) => change.name === 'confirm-obj-a')).toMatchObject({
      action: 'skipped',
      message: expect.stringMatching(/^Prune=confirm: /),
    });
    expect(await found(cluster, path('confirm-app-a'))).toBe(true);
    expect(await found(cluster, path('confirm-obj-a'))).toBe(true);
  });
});

describe('PrunePropagationPolicy', () => {
  /** A ConfigMap of nobody's app that the pruned one owns, as a ReplicaSet is owned by its Deployment. */
  async function dependentOf(owner: string): Promise<string> {
    const live = await cluster.client.get<KubeObject>(path(owner));
    const name = `${owner}-dependent`;
    await cluster.client.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner, uid: live.metadata.uid }] },
      },
    });
    return name;
  }

  async function pruneWith(app: string, options: SyncRunOptions): Promise<{ policy: unknown; dependent: string }> {
    const first = await syncApp(cluster, app, await writeApp({ 'anchor.yaml': configMap(`${app}-anchor`), 'owner.yaml': configMap(`${app}-owner`) }));
    const dependent = await dependentOf(`${app}-owner`);
    cluster.sandbox.requests.clear();
    const result = await syncApp(cluster, app, await writeApp({ 'anchor.yaml': configMap(`${app}-anchor`) }), first.inventory, { prune: true, ...options });
    expect(result.objects.find((change) => change.name === `${app}-owner`)?.action).toBe('pruned');
    const deletion = cluster.sandbox.requests.entries().find((entry) => entry.method === 'DELETE');
    return { policy: (deletion?.body as { propagationPolicy?: unknown } | undefined)?.propagationPolicy, dependent };
  }

  it('orphan: the delete says Orphan and the dependent stays, its owner reference gone', async () => {
    const { policy, dependent } = await pruneWith('orphaner', { syncOptions: { prunePropagationPolicy: 'Orphan' } });
    expect(policy).toBe('Orphan');
    const left = await cluster.client.get<KubeObject>(path(dependent));
    expect(left.metadata.ownerReferences ?? []).toEqual([]);
  });

  it('background: the delete says Background and the dependent goes with its owner', async () => {
    const { policy, dependent } = await pruneWith('backgrounder', { syncOptions: { prunePropagationPolicy: 'Background' } });
    expect(policy).toBe('Background');
    expect(await found(cluster, path(dependent))).toBe(false);
  });

  it('foreground: the delete says Foreground', async () => {
    expect((await pruneWith('foregrounder', { syncOptions: { prunePropagationPolicy: 'Foreground' } })).policy).toBe('Foreground');
  });

  it("without the option, Driftless's default: Background", async () => {
    expect((await pruneWith('defaulter', {})).policy).toBe('Background');
  });
});
