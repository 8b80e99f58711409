// What the plan leaves out on purpose is not applied, and the change set says so, object by
// object, with the reason: Argo CD's `hook: Skip`, ours, a Helm hook for an event a sync never
// has (chart tests), an Argo CD hook that runs only when an app is deleted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Discovery } from '../../shared/kube/discovery.ts';
import { detectDrift } from '../../shared/drift/detect.ts';
import { render } from '../../shared/render/render.ts';
import { startCluster, syncApp, writeApp, type TestCluster } from '../support/cluster.ts';
import { found } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const configMap = (name: string, annotations: Record<string, string> = {}) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations: ${JSON.stringify(annotations)}\ndata: { k: v }\n`;

const files = {
  'app.yaml': configMap('applied'),
  'skipped.yaml': [
    configMap('argo-skip', { 'argocd.argoproj.io/hook': 'Skip' }),
    configMap('our-skip', { 'driftless.io/hook': 'Skip' }),
    configMap('chart-test', { 'helm.sh/hook': 'test' }),
    configMap('on-delete', { 'argocd.argoproj.io/hook': 'PostDelete' }),
  ].join('---\n'),
};

const exists = (name: string) => found(cluster, `/api/v1/namespaces/default/configmaps/${name}`);

it('lists each skipped object as skipped, saying why, and applies none of them', async () => {
  const root = await writeApp(files);
  const result = await syncApp(cluster, 'skipper', root);
  expect(result.status).toBe('Succeeded');
  expect(result.health).toBe('Healthy');

  const skipped = result.objects.filter((change) => change.action === 'skipped');
  expect(skipped.map((change) => change.object).sort()).toEqual([
    'ConfigMap/default/argo-skip',
    'ConfigMap/default/chart-test',
    'ConfigMap/default/on-delete',
    'ConfigMap/default/our-skip',
  ]);
  const why = Object.fromEntries(skipped.map((change) => [change.name, change.message]));
  expect(why['argo-skip']).toMatch(/argocd\.argoproj\.io\/hook: Skip/);
  expect(why['our-skip']).toMatch(/driftless\.io\/hook: Skip/);
  expect(why['chart-test']).toMatch(/helm\.sh\/hook: test/);
  expect(why['on-delete']).toMatch(/PostDelete/);
  for (const change of skipped) expect(change.source?.file).toBe('skipped.yaml');

  expect(result.objects.find((change) => change.name === 'applied')?.action).toBe('created');
  for (const name of ['argo-skip', 'our-skip', 'chart-test', 'on-delete']) expect(await exists(name)).toBe(false);
  // Not kept either: the inventory is what the sync applied.
  expect(result.inventory?.entries.map((entry) => entry.name)).toEqual(['applied']);
});

it('a drift scan of the same render does not look for the skipped objects', async () => {
  const root = await writeApp(files);
  // Another namespace: the first test's app owns these names in default, and is never taken over.
  await syncApp(cluster, 'skipper2', root, undefined, {}, 'kube-public');
  const rendered = await render({ root, path: '.', appName: 'skipper2', destinationNamespace: 'kube-public' });
  const findings = await detectDrift({ app: 'skipper2', rendered: rendered.objects, client: cluster.client, discovery: new Discovery(cluster.client) });
  expect(findings.compared).toBe(1);
  expect(findings.objects).toEqual([]);
});
