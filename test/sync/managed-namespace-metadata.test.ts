// Argo CD's managedNamespaceMetadata ("Sync Options" page, Namespace Metadata; controller
// sync_namespace.go): with CreateNamespace=true, the labels and annotations it lists are put
// on the app's namespace, whether the sync creates it or it exists already, by server-side
// apply so labels others set stay; "CreateNamespace=true needs to be set ... otherwise
// nothing will happen"; a Namespace manifest of the same name in the app "will take
// precedence"; a namespace another app manages is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/kube/object.ts';
import type { ClusterSpec, ProjectSpec } from '../../shared/config/types.ts';
import { ProjectViolationError } from '../../shared/project/errors.ts';
import { render } from '../../shared/render/render.ts';
import { appRunOptions } from '../../shared/sync/app-sync-options.ts';
import { sync } from '../../shared/sync/sync.ts';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const settings = { 'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { color: blue }\n' };
const METADATA = { labels: { team: 'shop', env: 'prod' }, annotations: { owner: 'shop@example.com' } };
const namespace = (name: string) => cluster.client.get<KubeObject>(`/api/v1/namespaces/${name}`);

describe('managedNamespaceMetadata', () => {
  it('labels and annotates the namespace CreateNamespace creates', async () => {
    const result = await syncApp(
      cluster,
      'labelled',
      await writeApp(settings),
      undefined,
      { createNamespace: 'labelled', namespaceMetadata: METADATA },
      'labelled',
    );
    expect(result.status).toBe('Succeeded');
    expect(result.objects[0]).toMatchObject({ object: 'Namespace/labelled', action: 'created' });
    const live = await namespace('labelled');
    expect(live.metadata.labels).toMatchObject(METADATA.labels);
    expect(live.metadata.annotations).toMatchObject(METADATA.annotations);
  });

  it('puts them on a namespace that exists, keeps labels others set, and writes nothing once they are there', async () => {
    await cluster.client.request({
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'existing', labels: { theirs: 'yes' } } },
    });
    const root = await writeApp(settings);
    const first = await syncApp(cluster, 'existing', root, undefined, { createNamespace: 'existing', namespaceMetadata: METADATA }, 'existing');
    expect(first.objects[0]).toMatchObject({ object: 'Namespace/existing', action: 'configured' });
    expect((await namespace('existing')).metadata.labels).toMatchObject({ theirs: 'yes', ...METADATA.labels });
    cluster.sandbox.requests.clear();
    const second = await syncApp(cluster, 'existing', root, first.inventory, { createNamespace: 'existing', namespaceMetadata: METADATA }, 'existing');
    expect(second.objects.map((change) => change.kind)).toEqual(['ConfigMap']);
    expect(writesIn(cluster)).toEqual([]);
  });

  it('does nothing without CreateNamespace=true', () => {
    const app = { syncPolicy: { syncOptions: [], createNamespace: false, managedNamespaceMetadata: METADATA }, ignoreDifferences: [] };
    expect(appRunOptions(app, 'web').namespaceMetadata).toBeUndefined();
    expect(
      appRunOptions({ ...app, syncPolicy: { ...app.syncPolicy, syncOptions: ['CreateNamespace=true'], createNamespace: true } }, 'web').namespaceMetadata,
    ).toEqual(METADATA);
  });

  it("gives way to the app's own Namespace manifest of that name", async () => {
    const files = { ...settings, 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: manifested\n  labels: { from: git }\n' };
    const result = await syncApp(
      cluster,
      'manifested',
      await writeApp(files),
      undefined,
      { createNamespace: 'manifested', namespaceMetadata: METADATA },
      'manifested',
    );
    expect(result.status).toBe('Succeeded');
    const labels = (await namespace('manifested')).metadata.labels ?? {};
    expect(labels.from).toBe('git');
    expect(labels.team).toBeUndefined();
  });

  it('refuses a namespace another app tracks, and applies nothing else', async () => {
    await syncApp(cluster, 'ns-owner', await writeApp({ 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: taken }\n' }));
    const result = await syncApp(cluster, 'intruder', await writeApp(settings), undefined, { createNamespace: 'taken', namespaceMetadata: METADATA }, 'taken');
    expect(result.status).toBe('Failed');
    expect(result.message).toMatch(/^cannot label namespace taken: managedNamespaceMetadata: namespace taken is owned by app ns-owner/);
    expect((await namespace('taken')).metadata.labels?.team).toBeUndefined();
    expect(result.objects.map((change) => change.kind)).toEqual(['Namespace']);
  });

  it('needs the project to permit the Namespace, as creating it would', async () => {
    await cluster.client.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant' } } });
    // Argo CD's default project shape: every namespaced kind, no cluster-scoped one.
    const project: ProjectSpec = {
      name: 'team-a',
      sourceRepos: ['*'],
      destinations: [{ cluster: '*', namespace: 'tenant' }],
      definedIn: { file: 'driftless/projects.yaml' },
    };
    const target: ClusterSpec = { name: 'sandbox', labels: {}, definedIn: { file: 'driftless/clusters.yaml' } };
    const rendered = await render({ root: await writeApp(settings), path: '.', appName: 'tenant-app', destinationNamespace: 'tenant' });
    cluster.sandbox.requests.clear();
    const attempt = sync({
      app: 'tenant-app',
      objects: rendered.objects,
      client: cluster.client,
      discovery: cluster.discovery(),
      project: { project, cluster: target },
      options: { createNamespace: 'tenant', namespaceMetadata: METADATA },
    });
    await expect(attempt).rejects.toBeInstanceOf(ProjectViolationError);
    await expect(attempt).rejects.toThrow(/labelled by managedNamespaceMetadata/);
    expect(writesIn(cluster)).toEqual([]);
  });
});
