// An app of apps: the root Application's source is a folder of Application documents. Its
// sync puts them into the registry as its children (never onto the cluster: it has no Argo
// CD), and the children sync their own folders, through the real webhook, queue and worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryApp } from '../../shared/app-of-apps/types.ts';
import type { AppSpec, ClusterSpec } from '../../shared/config/types.ts';
import { scanTarget } from '../../shared/drift/scan-target.ts';
import { childApp, childManifests, rootApp } from '../support/app-of-apps.ts';
import { liveConfigMap, startPipeline, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

async function apps(): Promise<RegistryApp[]> {
  return ((await pipeline.store.getRegistry())?.registry.apps ?? []) as RegistryApp[];
}

const configMap = (namespace: string, name: string) => liveConfigMap(pipeline, namespace, name);

describe('an app of apps in Git', () => {
  let first: string;

  it('puts its children into the registry and on the cluster, and no Application on the cluster', async () => {
    const files = {
      ...rootApp(),
      'apps/root/web.yaml': childApp('web'),
      'apps/root/api.yaml': childApp('api'),
      ...childManifests('web'),
      ...childManifests('api'),
    };
    first = await pipeline.repo.commit(files);
    await pipeline.push(EMPTY, first, { added: Object.keys(files) });
    await pipeline.work(
      async () =>
        (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first && (await pipeline.store.getTarget('api', 'sandbox'))?.revision === first,
    );

    const registered = await apps();
    expect(registered.map((app) => `${app.name}<${app.parent ?? ''}`).sort()).toEqual(['api<root', 'root<', 'web<root']);
    // A child is located where the parent's render found it.
    expect(registered.find((app) => app.name === 'web')?.definedIn).toEqual({ file: 'apps/root/web.yaml', line: 1 });
    expect(await configMap('web', 'web-config')).toEqual({ value: 'one' });
    expect(await configMap('api', 'api-config')).toEqual({ value: 'one' });
    expect(await pipeline.store.getTarget('root', 'sandbox')).toMatchObject({ syncStatus: 'Synced', revision: first });
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ syncStatus: 'Synced', health: 'Healthy' });

    const argo = pipeline.sandbox.requests.entries().filter((entry) => entry.group === 'argoproj.io' || entry.path.includes('argoproj.io'));
    expect(argo).toEqual([]);
    const webStatuses = pipeline.github.statuses.filter((status) => status.context === 'driftless/web@sandbox');
    expect(webStatuses.length).toBeGreaterThan(0);
    expect(webStatuses.every((status) => status.description?.startsWith('[child of root]'))).toBe(true);
  });

  it('keeps the children through a config push that does not touch the root', async () => {
    const second = await pipeline.repo.commit({
      'driftless/other.yaml':
        'apiVersion: driftless.io/v1alpha1\nkind: Project\nmetadata: { name: other }\nspec:\n  sourceRepos: ["*"]\n  destinations: [{ namespace: "*", name: "*" }]\n',
    });
    await pipeline.push(first, second, { added: ['driftless/other.yaml'] });
    await pipeline.work(async () => (await pipeline.store.getRegistry())?.revision === second);
    expect((await apps()).map((app) => app.name).sort()).toEqual(['api', 'root', 'web']);
  });

  it('is not reported drifted for its children: the scan compares only what the sync applies', async () => {
    const { buildDependencies } = await import('../../functions/sync-worker/handler.ts');
    const registry = (await pipeline.store.getRegistry())!.registry;
    const root = registry.apps.find((app) => app.name === 'root') as AppSpec;
    const cluster = registry.clusters.find((candidate) => candidate.name === 'sandbox') as ClusterSpec;
    const target = await pipeline.store.getTarget('root', 'sandbox');
    const scan = await scanTarget(
      { kind: 'drift-scan', app: 'root', cluster: 'sandbox', revision: target!.revision!, enqueuedAt: new Date().toISOString(), schedulePeriod: Date.now() },
      root,
      cluster,
      await buildDependencies(process.env),
    );
    expect(scan).toMatchObject({ outcome: 'scanned', report: { status: 'InSync', objects: [] } });
    expect(await pipeline.store.getTarget('root', 'sandbox')).toMatchObject({ driftStatus: 'InSync' });
  });
});
