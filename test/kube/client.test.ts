// The Kubernetes client against the sandbox's fault injection: throttling, unavailability and
// dropped connections are retried; errors that will not change are not; a create is never
// sent twice.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KubeApiError, KubeConnectionError } from '../../shared/kube/errors.ts';
import { startCluster, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster({ controllers: false });
});
afterAll(() => cluster?.stop());
beforeEach(() => {
  cluster.sandbox.faults.clear();
  cluster.sandbox.requests.clear();
});

const gets = () => cluster.sandbox.requests.entries().filter((entry) => entry.method === 'GET' && entry.name === 'default');

describe('KubeClient retries', () => {
  it('waits out a 429 with Retry-After and then succeeds', async () => {
    cluster.sandbox.faults.inject({ verb: 'get', resource: 'namespaces', status: 429, retryAfterSeconds: 1, times: 1 });
    const namespace = await cluster.client.get<{ metadata: { name: string } }>('/api/v1/namespaces/default');
    expect(namespace.metadata.name).toBe('default');
    expect(gets().map((entry) => entry.status)).toEqual([429, 200]);
  });

  it('retries 503 and a dropped connection', async () => {
    cluster.sandbox.faults.inject({ verb: 'get', resource: 'namespaces', status: 503, times: 2 });
    await cluster.client.get('/api/v1/namespaces/default');
    cluster.sandbox.faults.inject({ verb: 'get', resource: 'namespaces', drop: true, times: 1 });
    await cluster.client.get('/api/v1/namespaces/default');
    expect(gets().map((entry) => entry.status)).toEqual([503, 503, 200, 0, 200]);
  });

  it('gives up after its attempts, with the server status kept', async () => {
    cluster.sandbox.faults.inject({ verb: 'get', resource: 'namespaces', status: 503, times: 10 });
    const error = await cluster.client.get('/api/v1/namespaces/default').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).code).toBe(503);
    expect(gets()).toHaveLength(4);
  });

  it('does not retry what will not change: 404 and 500', async () => {
    const missing = await cluster.client.get('/api/v1/namespaces/nowhere').catch((caught: unknown) => caught);
    expect((missing as KubeApiError).reason).toBe('NotFound');
    cluster.sandbox.faults.inject({ verb: 'get', resource: 'namespaces', status: 500, times: 1 });
    await expect(cluster.client.get('/api/v1/namespaces/default')).rejects.toThrow(/500|Internal/);
    expect(gets()).toHaveLength(1);
  });

  it('never sends a create twice after a dropped connection', async () => {
    cluster.sandbox.faults.inject({ verb: 'create', resource: 'configmaps', drop: true, times: 1 });
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'once-' } };
    const error = await cluster.client.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeConnectionError);
    expect(cluster.sandbox.requests.entries().filter((entry) => entry.method === 'POST')).toHaveLength(1);
  });
});
