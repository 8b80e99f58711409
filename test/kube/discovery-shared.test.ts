// Discovery.shared: the jobs of one process on one cluster ask the API server for a
// group-version once within the TTL, and a kind an earlier job did not find (its CRD
// established since) is asked for again rather than called unknown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Discovery } from '../../shared/kube/discovery.ts';
import { UnknownKindError } from '../../shared/kube/errors.ts';
import { startCluster, type TestCluster } from '../support/cluster.ts';

function crd(plural: string, kind: string) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.example.com` },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
}

async function establish(plural: string, kind: string): Promise<void> {
  await cluster.client.request({ method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: crd(plural, kind) });
  for (let tries = 0; tries < 50; tries++) {
    const list = await cluster.client.get<{ resources: Array<{ kind: string }> }>('/apis/example.com/v1').catch(() => ({ resources: [] }));
    if (list.resources.some((resource) => resource.kind === kind)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${kind} was not served`);
}

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

function discoveryGets(path: string): number {
  return cluster.sandbox.requests.entries().filter((entry) => entry.method === 'GET' && entry.path === path).length;
}

describe('discovery shared across jobs', () => {
  it('asks for a group-version once for every job on the cluster within the TTL', async () => {
    Discovery.clearShared();
    cluster.sandbox.requests.clear();
    for (let job = 0; job < 3; job++) {
      const discovery = Discovery.shared('sandbox', cluster.client);
      expect(await discovery.resolve('v1', 'ConfigMap')).toMatchObject({ resource: 'configmaps', namespaced: true });
      expect(await discovery.resolve('apps/v1', 'Deployment')).toMatchObject({ resource: 'deployments', namespaced: true });
    }
    expect(discoveryGets('/api/v1')).toBe(1);
    expect(discoveryGets('/apis/apps/v1')).toBe(1);
  });

  it('asks again once the TTL has passed, and keeps clusters apart', async () => {
    Discovery.clearShared();
    cluster.sandbox.requests.clear();
    let now = 0;
    const clock = { ttlMs: 1_000, now: () => now };
    await Discovery.shared('sandbox', cluster.client, clock).resolve('v1', 'ConfigMap');
    now = 999;
    await Discovery.shared('sandbox', cluster.client, clock).resolve('v1', 'ConfigMap');
    expect(discoveryGets('/api/v1')).toBe(1);
    now = 1_000;
    await Discovery.shared('sandbox', cluster.client, clock).resolve('v1', 'ConfigMap');
    expect(discoveryGets('/api/v1')).toBe(2);
    await Discovery.shared('another', cluster.client, clock).resolve('v1', 'ConfigMap');
    expect(discoveryGets('/api/v1')).toBe(3);
  });

  it('finds a kind whose CRD was established after an earlier job learned the group-version', async () => {
    Discovery.clearShared();
    // The group is served with another kind only, so the first job caches its answer without Widget.
    await establish('gadgets', 'Gadget');
    const first = Discovery.shared('sandbox', cluster.client);
    expect(await first.resolve('example.com/v1', 'Gadget')).toMatchObject({ resource: 'gadgets' });
    await expect(first.resolve('example.com/v1', 'Widget')).rejects.toBeInstanceOf(UnknownKindError);
    await establish('widgets', 'Widget');
    const later = Discovery.shared('sandbox', cluster.client);
    expect(await later.resolve('example.com/v1', 'Widget')).toMatchObject({ resource: 'widgets', namespaced: true });
  });

  it('asks again after the cluster was forgotten (a sync there failed)', async () => {
    Discovery.clearShared();
    cluster.sandbox.requests.clear();
    await Discovery.shared('sandbox', cluster.client).resolve('v1', 'ConfigMap');
    Discovery.forgetShared('sandbox');
    await Discovery.shared('sandbox', cluster.client).resolve('v1', 'ConfigMap');
    expect(discoveryGets('/api/v1')).toBe(2);
  });

  it('calls a kind unknown once this job asked the server itself', async () => {
    Discovery.clearShared();
    cluster.sandbox.requests.clear();
    const discovery = Discovery.shared('sandbox', cluster.client);
    await expect(discovery.resolve('v1', 'NoSuchKind')).rejects.toBeInstanceOf(UnknownKindError);
    await expect(discovery.resolve('v1', 'NoSuchKind')).rejects.toBeInstanceOf(UnknownKindError);
    expect(discoveryGets('/api/v1')).toBe(1);
  });

  it('jobs running at once that miss a kind share one request for it', async () => {
    Discovery.clearShared();
    cluster.sandbox.requests.clear();
    const jobs = Array.from({ length: 3 }, () => Discovery.shared('sandbox', cluster.client));
    const answers = await Promise.allSettled(jobs.map((job) => job.resolve('v1', 'NoSuchKind')));
    for (const answer of answers) expect(answer.status === 'rejected' && answer.reason).toBeInstanceOf(UnknownKindError);
    expect(discoveryGets('/api/v1')).toBe(1);
  });

  it('jobs running at once that find an earlier answer without their kind ask the server again once, not once each', async () => {
    Discovery.clearShared();
    await establish('sprockets', 'Sprocket');
    // An earlier job learned the group without Cog.
    await Discovery.shared('sandbox', cluster.client).resolve('example.com/v1', 'Sprocket');
    await establish('cogs', 'Cog');
    cluster.sandbox.requests.clear();
    const jobs = Array.from({ length: 3 }, () => Discovery.shared('sandbox', cluster.client));
    const found = await Promise.all(jobs.map((job) => job.resolve('example.com/v1', 'Cog')));
    for (const info of found) expect(info).toMatchObject({ resource: 'cogs', namespaced: true });
    expect(discoveryGets('/apis/example.com/v1')).toBe(1);
  });
});
