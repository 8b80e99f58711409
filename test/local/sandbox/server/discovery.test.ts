// Authentication, discovery and OpenAPI: what kubectl reads before it sends anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, type Client } from './client.ts';

let sandbox: Sandbox;
let api: Client;

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('authentication', () => {
  it('answers 401 Unauthorized without a token and with a wrong one', async () => {
    for (const token of [null, 'not-the-token']) {
      const answer = await api.request('GET', '/api/v1/namespaces', undefined, { token });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
  });

  it('serves over TLS signed by the CA it publishes, for 127.0.0.1', async () => {
    expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.caPem).toMatch(/BEGIN CERTIFICATE/);
    expect((await api.get('/version')).body.gitVersion).toMatch(/^v1\.34\./);
  });

  it('writes a kubeconfig carrying the CA data and the token', () => {
    const config = sandbox.kubeconfig('dev');
    expect(config).toContain(`server: ${sandbox.url}`);
    expect(config).toContain(Buffer.from(sandbox.caPem).toString('base64'));
    expect(config).toContain(`token: ${sandbox.token}`);
    expect(config).toContain('current-context: dev');
  });
});

describe('discovery', () => {
  it('lists the core version and the named groups with preferred versions', async () => {
    expect((await api.get('/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await api.get('/apis')).body;
    expect(groups.kind).toBe('APIGroupList');
    const names = groups.groups.map((g: { name: string }) => g.name);
    for (const group of ['apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'policy', 'autoscaling', 'apiextensions.k8s.io']) {
      expect(names).toContain(group);
    }
    const autoscaling = groups.groups.find((g: { name: string }) => g.name === 'autoscaling');
    expect(autoscaling.preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
  });

  it('answers a plain JSON request for /apis with the legacy list as application/json', async () => {
    const answer = await api.request('GET', '/apis', undefined, {});
    expect(answer.headers['content-type']).toBe('application/json');
  });

  it('describes core resources with short names, scope, verbs and categories', async () => {
    const list = (await api.get('/api/v1')).body;
    expect(list).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const byName = Object.fromEntries(list.resources.map((r: { name: string }) => [r.name, r]));
    expect(byName.namespaces).toMatchObject({ singularName: 'namespace', namespaced: false, kind: 'Namespace', shortNames: ['ns'] });
    expect(byName.configmaps).toMatchObject({ namespaced: true, kind: 'ConfigMap', shortNames: ['cm'] });
    expect(byName.services).toMatchObject({ shortNames: ['svc'], categories: ['all'] });
    expect(byName.pods.verbs).toEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    for (const name of ['secrets', 'serviceaccounts', 'persistentvolumeclaims', 'events', 'pods/status', 'services/status']) expect(byName[name]).toBeDefined();
  });

  it('describes apps/v1 with status and autoscaling/v1 Scale subresources', async () => {
    const list = (await api.get('/apis/apps/v1')).body;
    const byName = Object.fromEntries(list.resources.map((r: { name: string }) => [r.name, r]));
    expect(byName.deployments).toMatchObject({ kind: 'Deployment', shortNames: ['deploy'], categories: ['all'], namespaced: true });
    expect(byName['deployments/scale']).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    expect(byName['statefulsets/scale']).toBeDefined();
    expect(byName['daemonsets/scale']).toBeUndefined();
    expect(byName['daemonsets/status']).toBeDefined();
  });

  it('serves each named group-version and 404s an unknown one', async () => {
    const expected: Record<string, string[]> = {
      '/apis/batch/v1': ['cronjobs', 'jobs'],
      '/apis/networking.k8s.io/v1': ['ingressclasses', 'ingresses', 'ipaddresses', 'networkpolicies', 'servicecidrs'],
      '/apis/rbac.authorization.k8s.io/v1': ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
      '/apis/policy/v1': ['poddisruptionbudgets'],
      '/apis/autoscaling/v2': ['horizontalpodautoscalers'],
      '/apis/apiextensions.k8s.io/v1': ['customresourcedefinitions'],
    };
    for (const [path, resources] of Object.entries(expected)) {
      const names = (await api.get(path)).body.resources.map((r: { name: string }) => r.name).filter((n: string) => !n.includes('/'));
      expect(names).toEqual(resources);
    }
    const missing = await api.get('/apis/example.com/v1');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
  });
});

describe('openapi', () => {
  it('indexes every group-version at /openapi/v3 with a hashed URL', async () => {
    const index = (await api.get('/openapi/v3')).body;
    expect(index.paths['apis/apps/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    expect(index.paths['api/v1']).toBeDefined();
  });

  it('publishes schemas tagged with their group-version-kind', async () => {
    const index = (await api.get('/openapi/v3')).body;
    const document = (await api.get(index.paths['apis/apps/v1'].serverRelativeURL)).body;
    const deployment = document.components.schemas['io.k8s.api.apps.v1.Deployment'];
    expect(deployment['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    expect(deployment.properties.spec['x-kubernetes-preserve-unknown-fields']).toBe(true);
    const core = (await api.get('/openapi/v3/api/v1')).body;
    expect(core.components.schemas['io.k8s.api.core.v1.ConfigMap']['x-kubernetes-group-version-kind']).toEqual([
      { group: '', version: 'v1', kind: 'ConfigMap' },
    ]);
  });
});
