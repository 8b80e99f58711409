// Argo CD's SkipDryRunOnMissingResource=true ("Sync Options" page): a custom resource whose
// CRD is neither on the cluster nor in the sync ("created in another way, e.g. by a
// controller") fails the sync with "the server could not find the requested resource"
// unless the option is set, on the object or for the app; then it is applied when its wave
// comes. Here the CRD appears between waves, as a controller would create it, and the
// project still decides what the object may be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSpec, ProjectSpec } from '../../shared/config/types.ts';
import { render } from '../../shared/render/render.ts';
import type { ProjectBounds } from '../../shared/sync/project-bounds.ts';
import { sync, type SyncRunOptions } from '../../shared/sync/sync.ts';
import { startCluster, syncApp, writeApp, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const crd = (kind: string, plural: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.late.example.com` },
  spec: {
    group: 'late.example.com',
    scope: 'Namespaced',
    names: { plural, singular: kind.toLowerCase(), kind },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
});

const custom = (kind: string, name: string, annotation = '') =>
  `apiVersion: late.example.com/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  annotations:\n    argocd.argoproj.io/sync-wave: "1"\n${annotation}spec: { size: 3 }\n`;
/**
 * Wave 0: a Deployment per app (names are per cluster, and another app's is never taken
 * over), which takes a moment to become ready: the CRD made when wave 0 starts is there
 * before wave 1.
 */
const trigger = (app: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${app}-trigger }
spec:
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: { app: ${app} } }
    spec: { containers: [{ name: web, image: "nginx:1.27" }] }
`;

/** Syncs the folder; as wave 0 starts, something else creates the CRD (or nothing does). */
async function syncWithController(app: string, root: string, options: SyncRunOptions, makes?: ReturnType<typeof crd>, project?: ProjectBounds) {
  const rendered = await render({ root, path: '.', appName: app, destinationNamespace: 'default' });
  return sync({
    app,
    objects: rendered.objects,
    client: cluster.client,
    discovery: cluster.discovery(),
    project,
    options: { timeoutMs: 20_000, ...options },
    onStep: (event) => {
      if (makes && event.wave === 0 && event.state === 'started') {
        void cluster.client.request({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: makes });
      }
    },
  });
}

describe('SkipDryRunOnMissingResource', () => {
  it('without it, a kind nobody serves fails the sync before anything is written', async () => {
    const root = await writeApp({ 'trigger.yaml': trigger('strict'), 'gadget.yaml': custom('Gadget', 'g1') });
    await expect(syncApp(cluster, 'strict', root)).rejects.toThrow(/Gadget\/default\/g1: no matches for kind "Gadget" in version "late.example.com\/v1"/);
  });

  it('on the app: the object is applied in its wave, once a controller made its CRD', async () => {
    const root = await writeApp({ 'trigger.yaml': trigger('late-app'), 'sprocket.yaml': custom('Sprocket', 's1') });
    const result = await syncWithController('late-app', root, { syncOptions: { skipDryRunOnMissingResource: true } }, crd('Sprocket', 'sprockets'));
    expect(result.status).toBe('Succeeded');
    expect(result.objects.map((change) => [change.name, change.action])).toEqual([
      ['late-app-trigger', 'created'],
      ['s1', 'created'],
    ]);
    const live = await cluster.client.get<{ spec: { size: number } }>('/apis/late.example.com/v1/namespaces/default/sprockets/s1');
    expect(live.spec.size).toBe(3);
  });

  it('on the object: the same, from its own annotation', async () => {
    const root = await writeApp({
      'trigger.yaml': trigger('late-obj'),
      'cog.yaml': custom('Cog', 'c1', '    argocd.argoproj.io/sync-options: SkipDryRunOnMissingResource=true\n'),
    });
    const result = await syncWithController('late-obj', root, {}, crd('Cog', 'cogs'));
    expect(result.status).toBe('Succeeded');
  });

  it('fails the object in its wave when the CRD never came', async () => {
    const root = await writeApp({ 'trigger.yaml': trigger('never'), 'widget.yaml': custom('Doohickey', 'd1') });
    const result = await syncWithController('never', root, { syncOptions: { skipDryRunOnMissingResource: true } });
    expect(result.status).toBe('Failed');
    expect(result.objects.find((change) => change.name === 'd1')).toMatchObject({
      action: 'failed',
      message: expect.stringMatching(/no matches for kind "Doohickey" .* when its wave came/),
    });
  });

  it("is still bound by the app's project once its kind is known", async () => {
    const project: ProjectSpec = {
      name: 'team-a',
      sourceRepos: ['*'],
      destinations: [{ cluster: '*', namespace: '*' }],
      namespaceResourceWhitelist: [{ group: 'apps', kind: 'Deployment' }],
      definedIn: { file: 'driftless/projects.yaml' },
    };
    const target: ClusterSpec = { name: 'sandbox', labels: {}, definedIn: { file: 'driftless/clusters.yaml' } };
    const root = await writeApp({ 'trigger.yaml': trigger('bounded'), 'gizmo.yaml': custom('Gizmo', 'z1') });
    const result = await syncWithController('bounded', root, { syncOptions: { skipDryRunOnMissingResource: true } }, crd('Gizmo', 'gizmos'), {
      project,
      cluster: target,
    });
    expect(result.status).toBe('Failed');
    expect(result.objects.find((change) => change.name === 'z1')).toMatchObject({
      action: 'failed',
      message: expect.stringMatching(/^not permitted: .*namespaceResourceWhitelist of project team-a/),
    });
    await expect(cluster.client.get('/apis/late.example.com/v1/namespaces/default/gizmos/z1')).rejects.toThrow();
  });
});
