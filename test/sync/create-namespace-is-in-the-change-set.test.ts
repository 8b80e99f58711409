// CreateNamespace=true: the namespace the sync creates is part of what it reports, as Argo CD
// lists it among the sync's resources (a PreSync task); a failure to create it fails the sync
// before anything else is applied.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, type TestCluster } from '../support/cluster.ts';
import { found } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());
afterEach(() => cluster.sandbox.faults.clear());

const files = { 'config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { color: blue }\n' };

it('lists the namespace it created, once, and not again when it exists', async () => {
  const root = await writeApp(files);
  const first = await syncApp(cluster, 'fresh', root, undefined, { createNamespace: 'fresh' }, 'fresh');
  expect(first.status).toBe('Succeeded');
  const namespaces = first.objects.filter((change) => change.kind === 'Namespace');
  expect(namespaces).toEqual([expect.objectContaining({ object: 'Namespace/fresh', apiVersion: 'v1', kind: 'Namespace', name: 'fresh', action: 'created' })]);
  expect(namespaces[0].namespace).toBeUndefined();
  expect(first.objects.find((change) => change.name === 'settings')).toMatchObject({ namespace: 'fresh', action: 'created' });
  expect(await found(cluster, '/api/v1/namespaces/fresh')).toBe(true);
  // Not part of the app's inventory, so no prune of the app ever deletes it.
  expect(first.inventory?.entries.map((entry) => `${entry.kind}/${entry.name}`)).toEqual(['ConfigMap/settings']);

  const second = await syncApp(cluster, 'fresh', root, first.inventory, { createNamespace: 'fresh' }, 'fresh');
  expect(second.status).toBe('Succeeded');
  expect(second.objects.map((change) => `${change.object} ${change.action}`)).toEqual(['ConfigMap/fresh/settings unchanged']);
});

it('reports a namespace it could not create as failed, and applies nothing else', async () => {
  cluster.sandbox.faults.inject({ verb: 'patch', resource: 'namespaces', name: 'refused', status: 500 });
  const root = await writeApp(files);
  const result = await syncApp(cluster, 'refused', root, undefined, { createNamespace: 'refused' }, 'refused');
  expect(result.status).toBe('Failed');
  expect(result.message).toMatch(/^cannot create namespace refused: /);
  expect(result.objects).toEqual([expect.objectContaining({ object: 'Namespace/refused', kind: 'Namespace', name: 'refused', action: 'failed' })]);
  expect(result.objects[0].message).toBeTruthy();
  expect(await found(cluster, '/api/v1/namespaces/refused')).toBe(false);
  expect(await found(cluster, '/api/v1/namespaces/refused/configmaps/settings')).toBe(false);
});
