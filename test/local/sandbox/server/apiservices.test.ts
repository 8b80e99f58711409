// APIServices as kube-aggregator treats them: named `version.group` after their spec
// (ValidateAPIService), a referenced service port defaulted to 443, a local one Available from
// its creation (the registry strategy), a remote one Available only while its Service exists
// (AvailableConditionController: reasons Local, ServiceNotFound, Passed, in its words).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, eventually, type Client, type Json } from './client.ts';

let sandbox: Sandbox;
let api: Client;

const APISERVICES = '/apis/apiregistration.k8s.io/v1/apiservices';

const apiService = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'apiregistration.k8s.io/v1',
  kind: 'APIService',
  metadata: { name },
  spec: { groupPriorityMinimum: 100, versionPriority: 100, ...spec },
});

const available = (object: Json) => (object.status?.conditions ?? []).find((c: Json) => c.type === 'Available');

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: { readyDelayMs: 20 } });
  api = clientFor(sandbox);
  await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'metrics' } });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('APIService', () => {
  it('must be named spec.version + "." + spec.group', async () => {
    const wrong = await api.post(APISERVICES, apiService('metrics', { group: 'metrics.k8s.io', version: 'v1beta1' }));
    expect(wrong.status).toBe(422);
    expect(wrong.body.message).toBe(
      'APIService.apiregistration.k8s.io "metrics" is invalid: metadata.name: Invalid value: "metrics": must be `spec.version+"."+spec.group`: "v1beta1.metrics.k8s.io"',
    );
  });

  it('is Available at once when it has no service (Local)', async () => {
    const created = await api.post(APISERVICES, apiService('v1.local.example.com', { group: 'local.example.com', version: 'v1' }));
    expect(created.status).toBe(201);
    expect(available(created.body)).toMatchObject({ status: 'True', reason: 'Local', message: 'Local APIServices are always available' });
    expect(available(created.body).lastTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('defaults the service port to 443 and is not Available while the Service is missing', async () => {
    const created = await api.post(
      APISERVICES,
      apiService('v1beta1.metrics.k8s.io', {
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        service: { namespace: 'metrics', name: 'metrics-server' },
        insecureSkipTLSVerify: true,
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body.spec.service).toEqual({ namespace: 'metrics', name: 'metrics-server', port: 443 });
    const missing = await eventually(async () => available((await api.get(`${APISERVICES}/v1beta1.metrics.k8s.io`)).body));
    expect(missing).toMatchObject({ status: 'False', reason: 'ServiceNotFound', message: 'service/metrics-server in "metrics" is not present' });
  });

  it('becomes Available when its Service is created, and not when it is deleted again', async () => {
    await api.post('/api/v1/namespaces/metrics/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'metrics-server' },
      spec: { selector: { app: 'metrics-server' }, ports: [{ port: 443, targetPort: 10250 }] },
    });
    const passed = await eventually(async () => {
      const condition = available((await api.get(`${APISERVICES}/v1beta1.metrics.k8s.io`)).body);
      return condition?.status === 'True' ? condition : undefined;
    });
    expect(passed).toMatchObject({ reason: 'Passed', message: 'all checks passed' });

    await api.delete('/api/v1/namespaces/metrics/services/metrics-server');
    const gone = await eventually(async () => {
      const condition = available((await api.get(`${APISERVICES}/v1beta1.metrics.k8s.io`)).body);
      return condition?.status === 'False' ? condition : undefined;
    });
    expect(gone.reason).toBe('ServiceNotFound');
  });

  it('writes nothing while nothing about its availability changes', async () => {
    const before = (await api.get(`${APISERVICES}/v1beta1.metrics.k8s.io`)).body;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = (await api.get(`${APISERVICES}/v1beta1.metrics.k8s.io`)).body;
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });
});
