// The Driftless engine syncs what metrics-server and cert-manager charts install beside their
// workloads (an APIService, webhook configurations, RBAC named system:metrics-server) to the
// sandbox as to EKS: every object applied, the APIService healthy once its Service exists,
// and a resync with nothing changed in Git writes nothing.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../../support/cluster.ts';

const fixtures = new URL('./fixtures/extensions/', import.meta.url).pathname;

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

async function fixtureFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of await readdir(fixtures)) files[name] = await readFile(join(fixtures, name), 'utf8');
  return files;
}

it('syncs webhook configurations, an APIService and system:metrics-server RBAC, then resyncs with no writes', async () => {
  const app = await writeApp(await fixtureFiles());
  const first = await syncApp(cluster, 'metrics', app, undefined, {}, 'metrics');
  expect(first.status, JSON.stringify(first.objects)).toBe('Succeeded');
  expect(first.objects.map((change) => [change.kind, change.name, change.action])).toEqual(
    expect.arrayContaining([
      ['Namespace', 'metrics', 'created'],
      ['ClusterRole', 'system:metrics-server', 'created'],
      ['ClusterRoleBinding', 'system:metrics-server', 'created'],
      ['Service', 'metrics-server', 'created'],
      ['APIService', 'v1beta1.metrics.k8s.io', 'created'],
      ['ValidatingWebhookConfiguration', 'cert-manager-webhook', 'created'],
      ['MutatingWebhookConfiguration', 'cert-manager-webhook', 'created'],
    ]),
  );
  expect(first.objects.find((change) => change.kind === 'APIService')?.health).toBe('Healthy');
  const apiService = await cluster.client.request<{ status: { conditions: Array<{ type: string; status: string; reason: string }> } }>({
    method: 'GET',
    path: '/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io',
  });
  expect(apiService.status.conditions).toContainEqual(expect.objectContaining({ type: 'Available', status: 'True', reason: 'Passed' }));

  cluster.sandbox.requests.clear();
  const second = await syncApp(cluster, 'metrics', app, first.inventory, {}, 'metrics');
  expect(second.status, JSON.stringify(second.objects)).toBe('Succeeded');
  expect(second.objects.every((change) => change.action === 'unchanged')).toBe(true);
  expect(writesIn(cluster)).toEqual([]);
});
