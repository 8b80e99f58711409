// A child the parent no longer renders leaves the registry as Argo CD deletes an Application:
// with resources-finalizer.argocd.argoproj.io its resources are deleted, in reverse install
// order, and its target state goes; without it they stay, reported as orphaned.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childApp, childManifests, rootApp } from '../support/app-of-apps.ts';
import { startPipeline, webDeployment, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

describe('a child removed from its parent', () => {
  it('with the finalizer: its resources are deleted in reverse install order; without: left and reported orphaned', async () => {
    const files = {
      ...rootApp(),
      'apps/root/web.yaml': childApp('web', { finalizer: 'resources-finalizer.argocd.argoproj.io' }),
      'apps/root/api.yaml': childApp('api'),
      ...childManifests('web'),
      'apps/web/deploy.yaml': webDeployment(1),
      ...childManifests('api'),
    };
    const first = await pipeline.repo.commit(files);
    await pipeline.push(EMPTY, first, { added: Object.keys(files) });
    await pipeline.work(
      async () =>
        (await pipeline.store.getTarget('web', 'sandbox'))?.health === 'Healthy' && (await pipeline.store.getTarget('api', 'sandbox'))?.revision === first,
    );

    pipeline.sandbox.requests.clear();
    const second = await pipeline.repo.commit({
      'apps/root/web.yaml': null,
      'apps/root/api.yaml': null,
      'apps/root/keep.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: root-marker, namespace: default }\n',
    });
    await pipeline.push(first, second, { removed: ['apps/root/web.yaml', 'apps/root/api.yaml'], added: ['apps/root/keep.yaml'] });
    await pipeline.work(
      async () =>
        (await pipeline.store.getTarget('web', 'sandbox')) === undefined &&
        (await pipeline.store.getTarget('api', 'sandbox'))?.message?.includes('orphaned') === true,
    );

    const registry = (await pipeline.store.getRegistry())?.registry;
    expect(registry?.apps.map((app) => app.name)).toEqual(['root']);
    const deletes = pipeline.sandbox.requests
      .entries()
      .filter((entry) => entry.method === 'DELETE')
      .map((entry) => `${entry.resource}/${entry.namespace}/${entry.name}`);
    expect(deletes).toEqual(['deployments/web/web', 'configmaps/web/web-config']);

    const api = await pipeline.store.getTarget('api', 'sandbox');
    expect(api?.message).toBe(
      'no longer rendered by root: 1 resource(s) left on the cluster, orphaned (no resources-finalizer.argocd.argoproj.io); delete them by hand or restore the app',
    );
    const removed = pipeline.eventBridge.entries
      .filter((entry) => entry.DetailType === 'App Removed')
      .map((entry) => JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>);
    expect(removed).toMatchObject([{ app: 'api', cluster: 'sandbox', orphaned: 1 }]);
    const deleted = pipeline.eventBridge.entries
      .filter((entry) => entry.DetailType === 'App Deleted')
      .map((entry) => JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>);
    expect(deleted).toMatchObject([{ app: 'web', cluster: 'sandbox', counts: { pruned: 2 } }]);
  });
});
