// The one comparison behind the sync's skip, `driftless diff` and the drift scan: what is and
// is not a difference, and how Argo CD's ignoreDifferences narrows it.
import { describe, expect, it } from 'vitest';
import { compareObjects, fieldOwners, type IgnoreDifference } from '../../shared/kube/compare.ts';
import type { KubeObject } from '../../shared/kube/object.ts';

const desired: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { tier: 'frontend' } },
  spec: {
    replicas: 2,
    template: {
      spec: {
        initContainers: [{ name: 'setup', image: 'busybox' }],
        containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '1000m' } } }],
      },
    },
  },
};

interface Container {
  name: string;
  image: string;
  ports: Array<Record<string, unknown>>;
  resources: { requests: Record<string, string> };
}
type Deployment = KubeObject & {
  spec: { replicas: number; progressDeadlineSeconds?: number; template: { spec: { containers: Container[]; initContainers: Container[] } } };
};

function live(changes: (object: Deployment) => void = () => {}): KubeObject {
  const object = structuredClone(desired) as Deployment;
  object.metadata.uid = 'u-1';
  object.metadata.managedFields = [
    {
      manager: 'driftless',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:tier': {} } },
        'f:spec': {
          'f:template': {
            'f:spec': {
              'f:containers': {
                'k:{"name":"web"}': { '.': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
              },
            },
          },
        },
      },
    },
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      subresource: 'scale',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    },
    {
      manager: 'kubectl-patch',
      operation: 'Update',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } } },
    },
  ];
  object.spec.template.spec.containers[0].resources.requests.cpu = '1';
  object.spec.template.spec.containers[0].ports[0].protocol = 'TCP';
  object.spec.progressDeadlineSeconds = 600;
  changes(object);
  return object;
}

describe('compareObjects', () => {
  it('finds no difference in what the server adds or normalises', () => {
    expect(compareObjects(desired, live())).toEqual([]);
  });

  it('names the differing fields with paths and structured elements', () => {
    const differences = compareObjects(
      desired,
      live((object) => {
        object.spec.replicas = 5;
        object.spec.template.spec.containers[0].image = 'nginx:1.28';
      }),
    );
    expect(differences).toEqual([
      { path: '.spec.replicas', desired: 2, live: 5, elements: [{ field: 'spec' }, { field: 'replicas' }] },
      {
        path: '.spec.template.spec.containers[name="web"].image',
        desired: 'nginx:1.27',
        live: 'nginx:1.28',
        elements: [{ field: 'spec' }, { field: 'template' }, { field: 'spec' }, { field: 'containers' }, { key: { name: 'web' } }, { field: 'image' }],
      },
    ]);
  });

  it('reports a missing object as one difference at the root', () => {
    expect(compareObjects(desired, undefined).map((difference) => difference.path)).toEqual(['.']);
  });
});

describe('compareObjects on port lists, keyed by port and protocol', () => {
  // The API server defaults a port's protocol to TCP (ServicePort, ContainerPort), so Git's
  // port without one is the live TCP port, and a UDP port is another item altogether.
  const service = (ports: Array<Record<string, unknown>>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'dns', namespace: 'shop' },
    spec: { ports },
  });

  it('matches a port without protocol to the live TCP port', () => {
    expect(compareObjects(service([{ port: 53, targetPort: 5353 }]), service([{ port: 53, protocol: 'TCP', targetPort: 5353 }]))).toEqual([]);
    expect(
      compareObjects(service([{ port: 53, targetPort: 5353 }]), service([{ port: 53, protocol: 'TCP', targetPort: 53 }])).map((difference) => [
        difference.path,
        difference.elements?.at(-2),
      ]),
    ).toEqual([['.spec.ports[port=53,protocol="TCP"].targetPort', { key: { port: 53, protocol: 'TCP' } }]]);
  });

  it('does not match it to a UDP port of the same number', () => {
    expect(compareObjects(service([{ port: 53 }]), service([{ port: 53, protocol: 'UDP' }])).map((difference) => difference.path)).toEqual([
      '.spec.ports[port=53,protocol="TCP"]',
    ]);
  });
});

describe('compareObjects with ignoreDifferences', () => {
  const scaled = live((object) => {
    object.spec.replicas = 7;
    object.spec.template.spec.containers[0].image = 'nginx:1.28';
    object.spec.template.spec.initContainers[0].image = 'busybox:latest';
  });
  const paths = (rules: IgnoreDifference[]) => compareObjects(desired, scaled, { ignoreDifferences: rules }).map((difference) => difference.path);
  const all = ['.spec.replicas', '.spec.template.spec.initContainers[name="setup"].image', '.spec.template.spec.containers[name="web"].image'];

  it('jsonPointers remove the field from both sides', () => {
    expect(paths([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }])).toEqual(all.slice(1));
    expect(paths([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/template/spec/containers/0/image', '/spec/replicas'] }])).toEqual([all[1]]);
    expect(paths([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/nothing/here'] }])).toEqual(all);
  });

  it('managedFieldsManagers drop differences in fields those managers own', () => {
    expect(paths([{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] }])).toEqual(all.slice(1));
    expect(paths([{ group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager', 'kubectl-patch'] }])).toEqual([all[1]]);
  });

  it('jqPathExpressions remove what they select', () => {
    expect(paths([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.initContainers[] | select(.name == "setup")'] }])).toEqual([
      all[0],
      all[2],
    ]);
    expect(paths([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.initContainers[] | select(.name == "other")'] }])).toEqual(all);
    expect(paths([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec["replicas"]', '.spec.template.spec.containers[0].image'] }])).toEqual([
      all[1],
    ]);
    expect(() => paths([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec | del(.replicas)'] }])).toThrow(/not supported/);
  });

  it('applies only to the objects the rule names, as Argo CD matches them', () => {
    expect(paths([{ group: '*', kind: '*', jsonPointers: ['/spec/replicas'] }])).toEqual(all.slice(1));
    expect(paths([{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }])).toEqual(all); // no group: the core group
    expect(paths([{ group: 'apps', kind: 'Deployment', name: 'api', jsonPointers: ['/spec/replicas'] }])).toEqual(all);
    expect(paths([{ group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web', jsonPointers: ['/spec/replicas'] }])).toEqual(all.slice(1));
    expect(paths([{ group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] }])).toEqual(all);
  });

  it('does not change the objects it is given', () => {
    const before = JSON.stringify(scaled);
    paths([{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'], jqPathExpressions: ['.spec.template'] }]);
    expect(JSON.stringify(scaled)).toBe(before);
  });
});

describe('fieldOwners', () => {
  const object = live();
  const owners = (elements: Parameters<typeof fieldOwners>[1]) => fieldOwners(object, elements).map((owner) => owner.manager);

  it('finds the manager owning a field, a keyed list item or a whole subtree', () => {
    expect(owners([{ field: 'spec' }, { field: 'replicas' }])).toEqual(['kube-controller-manager']);
    expect(
      owners([{ field: 'spec' }, { field: 'template' }, { field: 'spec' }, { field: 'containers' }, { key: { name: 'web' } }, { field: 'image' }]),
    ).toEqual(['kubectl-patch']);
    expect(
      owners([
        { field: 'spec' },
        { field: 'template' },
        { field: 'spec' },
        { field: 'containers' },
        { key: { name: 'web' } },
        { field: 'ports' },
        { key: { containerPort: 8080, protocol: 'TCP' } },
      ]),
    ).toEqual(['driftless']);
    expect(owners([{ field: 'metadata' }, { field: 'labels' }])).toEqual(['driftless']);
  });

  it('finds nobody for a field nobody owns', () => {
    expect(owners([{ field: 'spec' }, { field: 'paused' }])).toEqual([]);
    expect(owners([{ field: 'spec' }, { field: 'template' }, { field: 'spec' }, { field: 'containers' }, { key: { name: 'sidecar' } }])).toEqual([]);
  });
});
