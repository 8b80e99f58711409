// The sandbox serves what a default Kubernetes 1.34 API server serves: every built-in group at
// its GA versions, each resource with its scope, kind, short names and verbs as the real
// discovery documents list them (kubernetes/kubernetes api/discovery/*.json and
// aggregated_v2.json), in the legacy lists and in aggregated discovery alike.
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../../local/sandbox/index.ts';
import { clientFor, type Client, type Json } from './client.ts';

let sandbox: Sandbox;
let api: Client;

beforeAll(async () => {
  sandbox = await startSandbox({ controllers: false });
  api = clientFor(sandbox);
});

afterAll(async () => {
  await sandbox?.stop();
});

const STORED = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

// group-version → resource → [kind, namespaced, short names]; verbs are the eight of a stored
// resource unless listed in VERBS below.
const EXPECTED: Record<string, Record<string, [string, boolean, string[]]>> = {
  v1: {
    componentstatuses: ['ComponentStatus', false, ['cs']],
    configmaps: ['ConfigMap', true, ['cm']],
    endpoints: ['Endpoints', true, ['ep']],
    events: ['Event', true, ['ev']],
    limitranges: ['LimitRange', true, ['limits']],
    namespaces: ['Namespace', false, ['ns']],
    nodes: ['Node', false, ['no']],
    persistentvolumeclaims: ['PersistentVolumeClaim', true, ['pvc']],
    persistentvolumes: ['PersistentVolume', false, ['pv']],
    pods: ['Pod', true, ['po']],
    podtemplates: ['PodTemplate', true, []],
    replicationcontrollers: ['ReplicationController', true, ['rc']],
    resourcequotas: ['ResourceQuota', true, ['quota']],
    secrets: ['Secret', true, []],
    serviceaccounts: ['ServiceAccount', true, ['sa']],
    services: ['Service', true, ['svc']],
  },
  'apiregistration.k8s.io/v1': { apiservices: ['APIService', false, []] },
  'apps/v1': {
    controllerrevisions: ['ControllerRevision', true, []],
    daemonsets: ['DaemonSet', true, ['ds']],
    deployments: ['Deployment', true, ['deploy']],
    replicasets: ['ReplicaSet', true, ['rs']],
    statefulsets: ['StatefulSet', true, ['sts']],
  },
  'events.k8s.io/v1': { events: ['Event', true, ['ev']] },
  'authentication.k8s.io/v1': { selfsubjectreviews: ['SelfSubjectReview', false, []], tokenreviews: ['TokenReview', false, []] },
  'authorization.k8s.io/v1': {
    localsubjectaccessreviews: ['LocalSubjectAccessReview', true, []],
    selfsubjectaccessreviews: ['SelfSubjectAccessReview', false, []],
    selfsubjectrulesreviews: ['SelfSubjectRulesReview', false, []],
    subjectaccessreviews: ['SubjectAccessReview', false, []],
  },
  'autoscaling/v1': { horizontalpodautoscalers: ['HorizontalPodAutoscaler', true, ['hpa']] },
  'autoscaling/v2': { horizontalpodautoscalers: ['HorizontalPodAutoscaler', true, ['hpa']] },
  'batch/v1': { cronjobs: ['CronJob', true, ['cj']], jobs: ['Job', true, []] },
  'certificates.k8s.io/v1': { certificatesigningrequests: ['CertificateSigningRequest', false, ['csr']] },
  'networking.k8s.io/v1': {
    ingressclasses: ['IngressClass', false, []],
    ingresses: ['Ingress', true, ['ing']],
    ipaddresses: ['IPAddress', false, ['ip']],
    networkpolicies: ['NetworkPolicy', true, ['netpol']],
    servicecidrs: ['ServiceCIDR', false, []],
  },
  'policy/v1': { poddisruptionbudgets: ['PodDisruptionBudget', true, ['pdb']] },
  'rbac.authorization.k8s.io/v1': {
    clusterrolebindings: ['ClusterRoleBinding', false, []],
    clusterroles: ['ClusterRole', false, []],
    rolebindings: ['RoleBinding', true, []],
    roles: ['Role', true, []],
  },
  'storage.k8s.io/v1': {
    csidrivers: ['CSIDriver', false, []],
    csinodes: ['CSINode', false, []],
    csistoragecapacities: ['CSIStorageCapacity', true, []],
    storageclasses: ['StorageClass', false, ['sc']],
    volumeattachments: ['VolumeAttachment', false, []],
    volumeattributesclasses: ['VolumeAttributesClass', false, ['vac']],
  },
  'admissionregistration.k8s.io/v1': {
    mutatingwebhookconfigurations: ['MutatingWebhookConfiguration', false, []],
    validatingadmissionpolicies: ['ValidatingAdmissionPolicy', false, []],
    validatingadmissionpolicybindings: ['ValidatingAdmissionPolicyBinding', false, []],
    validatingwebhookconfigurations: ['ValidatingWebhookConfiguration', false, []],
  },
  'apiextensions.k8s.io/v1': { customresourcedefinitions: ['CustomResourceDefinition', false, ['crd', 'crds']] },
  'scheduling.k8s.io/v1': { priorityclasses: ['PriorityClass', false, ['pc']] },
  'coordination.k8s.io/v1': { leases: ['Lease', true, []] },
  'node.k8s.io/v1': { runtimeclasses: ['RuntimeClass', false, []] },
  'discovery.k8s.io/v1': { endpointslices: ['EndpointSlice', true, []] },
  'flowcontrol.apiserver.k8s.io/v1': {
    flowschemas: ['FlowSchema', false, []],
    prioritylevelconfigurations: ['PriorityLevelConfiguration', false, []],
  },
  'resource.k8s.io/v1': {
    deviceclasses: ['DeviceClass', false, []],
    resourceclaims: ['ResourceClaim', true, []],
    resourceclaimtemplates: ['ResourceClaimTemplate', true, []],
    resourceslices: ['ResourceSlice', false, []],
  },
};

const VERBS: Record<string, string[]> = {
  'v1/componentstatuses': ['get', 'list'],
  'v1/namespaces': ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  'authentication.k8s.io/v1/selfsubjectreviews': ['create'],
  'authentication.k8s.io/v1/tokenreviews': ['create'],
  'authorization.k8s.io/v1/localsubjectaccessreviews': ['create'],
  'authorization.k8s.io/v1/selfsubjectaccessreviews': ['create'],
  'authorization.k8s.io/v1/selfsubjectrulesreviews': ['create'],
  'authorization.k8s.io/v1/subjectaccessreviews': ['create'],
};

// api/discovery/apis.json lists the groups in this order (their priority), GA versions only.
const GROUPS = [
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
];

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
// What kubectl 1.34 sends for /api and /apis.
const KUBECTL_ACCEPT = `${AGGREGATED},application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json`;

function discoveryPath(groupVersion: string): string {
  return groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
}

/** A GET with the Accept header given (the shared client always asks for plain JSON). */
function getWithAccept(path: string, accept: string): Promise<{ contentType: string; body: Json }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sandbox.url}${path}`,
      { headers: { Authorization: `Bearer ${sandbox.token}`, Accept: accept }, ca: sandbox.caPem, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ contentType: String(res.headers['content-type']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('every built-in group of Kubernetes 1.34', () => {
  it('lists the GA groups in priority order, autoscaling preferring v2 over v1', async () => {
    const list = (await api.get('/apis')).body;
    expect(list.groups.map((group: Json) => group.name)).toEqual(GROUPS);
    const autoscaling = list.groups.find((group: Json) => group.name === 'autoscaling');
    expect(autoscaling.versions.map((v: Json) => v.version)).toEqual(['v2', 'v1']);
    for (const group of list.groups) expect(group.preferredVersion.version).toBe(group.versions[0].version);
  });

  it('serves each group-version with the resources, kinds, scopes, short names and verbs of a real server', async () => {
    for (const [groupVersion, resources] of Object.entries(EXPECTED)) {
      const list = (await api.get(discoveryPath(groupVersion))).body;
      const main = list.resources.filter((r: Json) => !r.name.includes('/'));
      expect(
        main.map((r: Json) => r.name),
        groupVersion,
      ).toEqual(Object.keys(resources).sort());
      for (const entry of main) {
        const [kind, namespaced, shortNames] = resources[entry.name];
        expect(
          { kind: entry.kind, namespaced: entry.namespaced, shortNames: entry.shortNames ?? [], verbs: entry.verbs },
          `${groupVersion}/${entry.name}`,
        ).toEqual({
          kind,
          namespaced,
          shortNames,
          verbs: VERBS[`${groupVersion}/${entry.name}`] ?? STORED,
        });
      }
    }
  });

  it('lists the admission and aggregation kinds in the api-extensions category, as kubectl get api-extensions needs', async () => {
    const categories = async (groupVersion: string) =>
      Object.fromEntries((await api.get(discoveryPath(groupVersion))).body.resources.map((r: Json) => [r.name, r.categories ?? []]));
    expect((await categories('apiregistration.k8s.io/v1')).apiservices).toEqual(['api-extensions']);
    const admission = await categories('admissionregistration.k8s.io/v1');
    expect(admission.validatingwebhookconfigurations).toEqual(['api-extensions']);
    expect(admission.mutatingwebhookconfigurations).toEqual(['api-extensions']);
    expect((await categories('v1')).replicationcontrollers).toEqual(['all']);
  });

  it('serves the status, scale and token subresources it implements, and lists them', async () => {
    const core = Object.fromEntries((await api.get('/api/v1')).body.resources.map((r: Json) => [r.name, r]));
    expect(core['serviceaccounts/token']).toMatchObject({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
    expect(core['replicationcontrollers/scale']).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(core['apiservices/status']).toBeUndefined();
    const registration = Object.fromEntries((await api.get('/apis/apiregistration.k8s.io/v1')).body.resources.map((r: Json) => [r.name, r]));
    expect(registration['apiservices/status']).toMatchObject({ kind: 'APIService', verbs: ['get', 'patch', 'update'] });
  });
});

describe('aggregated discovery', () => {
  it('answers kubectl with the APIGroupDiscoveryList of every named group, preferred version first', async () => {
    const { contentType, body } = await getWithAccept('/apis', KUBECTL_ACCEPT);
    expect(contentType).toBe(AGGREGATED);
    expect(body).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    expect(body.items.map((item: Json) => item.metadata.name)).toEqual(GROUPS);
    const autoscaling = body.items.find((item: Json) => item.metadata.name === 'autoscaling');
    expect(autoscaling.versions.map((v: Json) => v.version)).toEqual(['v2', 'v1']);
  });

  it('describes each resource with its scope, kind and subresources as the API server does', async () => {
    const { body } = await getWithAccept('/apis', KUBECTL_ACCEPT);
    const apps = body.items.find((item: Json) => item.metadata.name === 'apps').versions[0];
    expect(apps.freshness).toBe('Current');
    const deployments = apps.resources.find((r: Json) => r.resource === 'deployments');
    expect(deployments).toEqual({
      resource: 'deployments',
      responseKind: { group: '', version: '', kind: 'Deployment' },
      scope: 'Namespaced',
      singularResource: 'deployment',
      verbs: STORED,
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: [
        { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
        { subresource: 'status', responseKind: { group: '', version: '', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
    const admission = body.items.find((item: Json) => item.metadata.name === 'admissionregistration.k8s.io').versions[0];
    expect(admission.resources.find((r: Json) => r.resource === 'validatingwebhookconfigurations')).toMatchObject({
      scope: 'Cluster',
      categories: ['api-extensions'],
    });
  });

  it('answers /api with the core group alone', async () => {
    const { contentType, body } = await getWithAccept('/api', KUBECTL_ACCEPT);
    expect(contentType).toBe(AGGREGATED);
    expect(body.items).toHaveLength(1);
    expect(body.items[0].metadata.name).toBeUndefined();
    const v1 = body.items[0].versions[0];
    expect(v1.version).toBe('v1');
    expect(v1.resources.find((r: Json) => r.resource === 'namespaces')).toMatchObject({ scope: 'Cluster', shortNames: ['ns'] });
    expect(v1.resources.find((r: Json) => r.resource === 'serviceaccounts').subresources).toEqual([
      { subresource: 'token', responseKind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] },
    ]);
  });

  it('gives a client that only knows v2beta1 the legacy list', async () => {
    const { contentType, body } = await getWithAccept('/apis', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json');
    expect(contentType).toBe('application/json');
    expect(body.kind).toBe('APIGroupList');
  });

  it('lists a CRD’s group as soon as the CRD is created', async () => {
    await api.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: ['gd'] },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const { body } = await getWithAccept('/apis', KUBECTL_ACCEPT);
    const example = body.items.find((item: Json) => item.metadata.name === 'example.com');
    expect(example.versions[0].resources).toEqual([
      {
        resource: 'gadgets',
        responseKind: { group: '', version: '', kind: 'Gadget' },
        scope: 'Namespaced',
        singularResource: 'gadget',
        verbs: STORED,
        shortNames: ['gd'],
      },
    ]);
  });
});

describe('openapi of the new groups', () => {
  it('indexes every group-version and names schemas as the real server does', async () => {
    const index = (await api.get('/openapi/v3')).body;
    for (const groupVersion of Object.keys(EXPECTED)) expect(index.paths[discoveryPath(groupVersion).slice(1)], groupVersion).toBeDefined();
    const registration = (await api.get(index.paths['apis/apiregistration.k8s.io/v1'].serverRelativeURL)).body;
    expect(registration.components.schemas['io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apiregistration.k8s.io', version: 'v1', kind: 'APIService' },
    ]);
    const flowcontrol = (await api.get(index.paths['apis/flowcontrol.apiserver.k8s.io/v1'].serverRelativeURL)).body;
    expect(flowcontrol.components.schemas['io.k8s.api.flowcontrol.v1.FlowSchema']).toBeDefined();
    const admission = (await api.get(index.paths['apis/admissionregistration.k8s.io/v1'].serverRelativeURL)).body;
    expect(admission.components.schemas['io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration']).toBeDefined();
  });
});
