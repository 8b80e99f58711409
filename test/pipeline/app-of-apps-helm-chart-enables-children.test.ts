// An app of apps as a Helm chart, the EKS Blueprints add-ons pattern (issue 13 item 6): each
// child Application is a template wrapped in `{{ if .Values.<name>.enable }}`, and the values
// say which are on. Rendered with the real helm, only the enabled children join the registry
// and reach the cluster; turning one on in the values adds it, turning one off removes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryApp } from '../../shared/app-of-apps/types.ts';
import { childApp, childManifests, rootApp } from '../support/app-of-apps.ts';
import { startPipeline, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

async function registered(): Promise<string[]> {
  return (((await pipeline.store.getRegistry())?.registry.apps ?? []) as RegistryApp[]).map((app) => `${app.name}<${app.parent ?? ''}`).sort();
}

function values(enabled: Record<string, boolean>): string {
  return Object.entries(enabled)
    .map(([name, enable]) => `${name}:\n  enable: ${enable}\n`)
    .join('');
}

describe('an app of apps that is a Helm chart', () => {
  it('registers and syncs only the children its values enable', async () => {
    const files = {
      ...rootApp('charts/addons'),
      'charts/addons/Chart.yaml': 'apiVersion: v2\nname: addons\nversion: 0.1.0\n',
      'charts/addons/values.yaml': values({ metrics: true, ingress: false, logging: true }),
      'charts/addons/templates/metrics.yaml': childApp('metrics', { helmCondition: true }),
      'charts/addons/templates/ingress.yaml': childApp('ingress', { helmCondition: true }),
      'charts/addons/templates/logging.yaml': childApp('logging', { helmCondition: true }),
      ...childManifests('metrics'),
      ...childManifests('ingress'),
      ...childManifests('logging'),
    };
    const first = await pipeline.repo.commit(files);
    await pipeline.push(EMPTY, first, { added: Object.keys(files) });
    await pipeline.work(
      async () =>
        (await pipeline.store.getTarget('metrics', 'sandbox'))?.revision === first &&
        (await pipeline.store.getTarget('logging', 'sandbox'))?.revision === first,
    );

    expect(await registered()).toEqual(['logging<root', 'metrics<root', 'root<']);
    expect(await pipeline.store.getTarget('ingress', 'sandbox')).toBeUndefined();
    // A child is located in the chart template it came from.
    const metrics = (await pipeline.store.getRegistry())?.registry.apps.find((app) => app.name === 'metrics');
    expect(metrics?.definedIn.file).toBe('charts/addons/templates/metrics.yaml');
    const namespaces = pipeline.sandbox.requests
      .entries()
      .filter((entry) => entry.method === 'PATCH' && entry.resource === 'configmaps')
      .map((entry) => entry.namespace);
    expect(new Set(namespaces)).toEqual(new Set(['metrics', 'logging']));

    // The values turn ingress on and logging off: ingress joins, logging leaves (its resources stay: no finalizer).
    const second = await pipeline.repo.commit({ 'charts/addons/values.yaml': values({ metrics: true, ingress: true, logging: false }) });
    await pipeline.push(first, second, { modified: ['charts/addons/values.yaml'] });
    await pipeline.work(
      async () =>
        (await pipeline.store.getTarget('ingress', 'sandbox'))?.revision === second &&
        (await pipeline.store.getTarget('logging', 'sandbox'))?.message?.includes('orphaned') === true,
    );
    expect(await registered()).toEqual(['ingress<root', 'metrics<root', 'root<']);
  });
});
