// CustomResourceDefinitions register their resources in discovery and OpenAPI, become
// Established, serve custom objects (with status and scale) and take them away on delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, eventually, type Client } from './client.ts';

let sandbox: Sandbox;
let api: Client;

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        subresources: {
          status: {},
          scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
        },
      },
      { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
    ],
  },
};

const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'gear' }, spec: { replicas: 2, teeth: 12 }, status: { ignored: true } };

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
  await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('custom resource definitions', () => {
  it('404s the custom resource before its definition exists', async () => {
    expect((await api.get('/apis/example.com/v1/namespaces/shop/widgets')).status).toBe(404);
  });

  it('registers every served version with names, scope and subresources, and becomes Established', async () => {
    const created = await api.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    expect(created.status).toBe(201);
    const stored = (await api.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com')).body;
    const conditions = Object.fromEntries(stored.status.conditions.map((c: { type: string; status: string }) => [c.type, c.status]));
    expect(conditions).toEqual({ Established: 'True', NamesAccepted: 'True' });
    expect(stored.status.acceptedNames).toMatchObject({ plural: 'widgets', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wd'] });

    const group = (await api.get('/apis')).body.groups.find((g: { name: string }) => g.name === 'example.com');
    expect(group.versions.map((v: { version: string }) => v.version)).toEqual(['v1', 'v1beta1']);
    expect(group.preferredVersion.version).toBe('v1');
    const resources = (await api.get('/apis/example.com/v1')).body.resources;
    expect(resources.map((r: { name: string }) => r.name)).toEqual(['widgets', 'widgets/scale', 'widgets/status']);
    expect(resources[0]).toMatchObject({ singularName: 'widget', namespaced: true, kind: 'Widget', shortNames: ['wd'], categories: ['all'] });

    const index = (await api.get('/openapi/v3')).body;
    const document = (await api.get(index.paths['apis/example.com/v1'].serverRelativeURL)).body;
    expect(document.components.schemas['com.example.v1.Widget']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.com', version: 'v1', kind: 'Widget' },
    ]);
  });

  it('serves custom objects, stripping status from main-resource writes', async () => {
    const created = await api.post('/apis/example.com/v1/namespaces/shop/widgets', widget);
    expect(created.status).toBe(201);
    expect(created.body.status).toBeUndefined();
    const status = await api.put('/apis/example.com/v1/namespaces/shop/widgets/gear/status', {
      ...created.body,
      spec: { replicas: 9 },
      status: { replicas: 2, selector: 'app=gear' },
    });
    expect(status.body.status).toEqual({ replicas: 2, selector: 'app=gear' });
    expect(status.body.spec.replicas).toBe(2);
    const asBeta = (await api.get('/apis/example.com/v1beta1/namespaces/shop/widgets/gear')).body;
    expect(asBeta.apiVersion).toBe('example.com/v1beta1');
  });

  it('scales a custom resource through its scale subresource', async () => {
    const scale = (await api.get('/apis/example.com/v1/namespaces/shop/widgets/gear/scale')).body;
    expect(scale).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=gear' } });
    const scaled = await api.patch('/apis/example.com/v1/namespaces/shop/widgets/gear/scale', { spec: { replicas: 5 } }, 'application/merge-patch+json');
    expect(scaled.body.spec.replicas).toBe(5);
    expect((await api.get('/apis/example.com/v1/namespaces/shop/widgets/gear')).body.spec.replicas).toBe(5);
  });

  it('refuses a definition whose name is not plural.group', async () => {
    const wrong = await api.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { ...crd, metadata: { name: 'gadgets.example.com' } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.message).toMatch(/must be spec.names.plural\+"."\+spec.group/);
  });

  it('removes the resource and its objects when the definition is deleted', async () => {
    const deleted = await api.delete('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
    expect(deleted.status).toBe(200);
    expect(deleted.body.metadata.deletionTimestamp).toBeDefined();
    await eventually(async () =>
      (await api.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com')).status === 404 ? true : undefined,
    );
    expect((await api.get('/apis/example.com/v1/namespaces/shop/widgets/gear')).status).toBe(404);
    expect((await api.get('/apis/example.com/v1')).status).toBe(404);
    expect((await api.get('/apis')).body.groups.map((g: { name: string }) => g.name)).not.toContain('example.com');
    expect((await api.get('/openapi/v3')).body.paths['apis/example.com/v1']).toBeUndefined();

    await api.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    expect((await api.get('/apis/example.com/v1/namespaces/shop/widgets')).body.items).toEqual([]);
  });
});
