import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, type TestCluster } from '../support/cluster.ts';
import { found } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const configMap = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data: { k: v }\n`;

const exists = (name: string) => found(cluster, `/api/v1/namespaces/default/configmaps/${name}`);

describe('prune', () => {
  it('deletes what left Git and nothing else', async () => {
    const first = await syncApp(cluster, 'pruner', await writeApp({ 'a.yaml': configMap('keep-me'), 'b.yaml': configMap('drop-me') }));
    // An object of another app, and one nobody tracks, must survive.
    await syncApp(cluster, 'neighbour', await writeApp({ 'n.yaml': configMap('neighbour') }));
    await cluster.client.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hand-made' } },
    });

    const second = await syncApp(cluster, 'pruner', await writeApp({ 'a.yaml': configMap('keep-me') }), first.inventory, { prune: true });
    expect(second.objects.filter((change) => change.action === 'pruned').map((change) => change.name)).toEqual(['drop-me']);
    expect(await exists('drop-me')).toBe(false);
    expect(await exists('keep-me')).toBe(true);
    expect(await exists('neighbour')).toBe(true);
    expect(await exists('hand-made')).toBe(true);
  });

  it('never deletes an object of the same name that someone else created without our tracking id', async () => {
    const first = await syncApp(cluster, 'pruner2', await writeApp({ 'a.yaml': configMap('shared-name'), 'b.yaml': configMap('anchor') }));
    await cluster.client.request({ method: 'DELETE', path: '/api/v1/namespaces/default/configmaps/shared-name' });
    await cluster.client.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared-name' } },
    });
    const second = await syncApp(cluster, 'pruner2', await writeApp({ 'b.yaml': configMap('anchor') }), first.inventory, { prune: true });
    const change = second.objects.find((entry) => entry.name === 'shared-name');
    expect(change?.action).toBe('skipped');
    expect(change?.message).toMatch(/not tracked by this app/);
    expect(await exists('shared-name')).toBe(true);
  });

  it('keeps objects marked Prune=false, and keeps them in the inventory', async () => {
    const first = await syncApp(
      cluster,
      'pruner3',
      await writeApp({ 'a.yaml': configMap('precious', '  annotations:\n    argocd.argoproj.io/sync-options: Prune=false\n'), 'b.yaml': configMap('anchor3') }),
    );
    const second = await syncApp(cluster, 'pruner3', await writeApp({ 'b.yaml': configMap('anchor3') }), first.inventory, { prune: true });
    expect(second.objects.find((entry) => entry.name === 'precious')?.action).toBe('skipped');
    expect(await exists('precious')).toBe(true);
    expect(second.inventory?.entries.map((entry) => entry.name).sort()).toEqual(['anchor3', 'precious']);
  });

  it('does not prune when the render is empty, unless allowEmpty', async () => {
    const first = await syncApp(cluster, 'pruner4', await writeApp({ 'a.yaml': configMap('lonely') }));
    const empty = await writeApp({ 'README.md': '# nothing here\n' });
    const refused = await syncApp(cluster, 'pruner4', empty, first.inventory, { prune: true });
    expect(refused.objects.map((entry) => [entry.name, entry.action])).toEqual([['lonely', 'skipped']]);
    expect(await exists('lonely')).toBe(true);
    const allowed = await syncApp(cluster, 'pruner4', empty, refused.inventory, { prune: true, allowEmpty: true });
    expect(allowed.objects.map((entry) => [entry.name, entry.action])).toEqual([['lonely', 'pruned']]);
    expect(await exists('lonely')).toBe(false);
  });

  it('does not prune without the prune option, but remembers what is left over', async () => {
    const first = await syncApp(cluster, 'pruner5', await writeApp({ 'a.yaml': configMap('left-over'), 'b.yaml': configMap('anchor5') }));
    const second = await syncApp(cluster, 'pruner5', await writeApp({ 'b.yaml': configMap('anchor5') }), first.inventory);
    expect(await exists('left-over')).toBe(true);
    expect(second.inventory?.entries.map((entry) => entry.name).sort()).toEqual(['anchor5', 'left-over']);
  });
});
