// The built-in resource table: what the sandbox serves before any CRD is created.
// Names, short names, categories and subresources follow a real 1.34 API server, because
// kubectl resolves `deploy`, `all` and `scale` through them.

import type { NameRule } from './names.ts';

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const SUBRESOURCE_VERBS = ['get', 'patch', 'update'];

/** Where replicas live, for the scale subresource (paths as CRDs declare them: `.spec.replicas`). */
export interface ScaleSpec {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower case: `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  status: boolean;
  scale?: ScaleSpec;
  nameRule: NameRule;
  /** A shorter limit on the name when the object is created (CronJob: 52, so its Jobs' names fit). */
  createNameMax?: number;
  /** Whether the server keeps metadata.generation (ConfigMaps, Services, RBAC... do not). */
  generation: boolean;
  /** Set for resources registered by a CustomResourceDefinition (its name). */
  crd?: string;
}

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

interface Entry {
  resource: string;
  kind: string;
  namespaced?: boolean;
  shortNames?: string[];
  all?: boolean;
  status?: boolean;
  scale?: boolean;
  verbs?: string[];
  nameRule?: NameRule;
  createNameMax?: number;
  categories?: string[];
}

const WORKLOAD_SCALE: ScaleSpec = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' };

const GROUPS: Array<{ group: string; version: string; entries: Entry[] }> = [
  {
    group: '',
    version: 'v1',
    entries: [
      { resource: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] },
      { resource: 'events', kind: 'Event', shortNames: ['ev'] },
      {
        resource: 'namespaces',
        kind: 'Namespace',
        namespaced: false,
        shortNames: ['ns'],
        status: true,
        nameRule: 'label',
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      },
      { resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', shortNames: ['pvc'], status: true },
      { resource: 'pods', kind: 'Pod', shortNames: ['po'], all: true, status: true },
      { resource: 'secrets', kind: 'Secret' },
      { resource: 'serviceaccounts', kind: 'ServiceAccount', shortNames: ['sa'] },
      {
        resource: 'services',
        kind: 'Service',
        shortNames: ['svc'],
        all: true,
        status: true,
        nameRule: 'dns1035',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      },
    ],
  },
  {
    group: 'apps',
    version: 'v1',
    entries: [
      { resource: 'daemonsets', kind: 'DaemonSet', shortNames: ['ds'], all: true, status: true },
      { resource: 'deployments', kind: 'Deployment', shortNames: ['deploy'], all: true, status: true, scale: true },
      { resource: 'replicasets', kind: 'ReplicaSet', shortNames: ['rs'], all: true, status: true, scale: true },
      { resource: 'statefulsets', kind: 'StatefulSet', shortNames: ['sts'], all: true, status: true, scale: true, nameRule: 'label' },
    ],
  },
  {
    group: 'autoscaling',
    version: 'v2',
    entries: [{ resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', shortNames: ['hpa'], all: true, status: true }],
  },
  {
    group: 'batch',
    version: 'v1',
    entries: [
      { resource: 'cronjobs', kind: 'CronJob', shortNames: ['cj'], all: true, status: true, createNameMax: 52 },
      { resource: 'jobs', kind: 'Job', all: true, status: true },
    ],
  },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    entries: [
      { resource: 'ingressclasses', kind: 'IngressClass', namespaced: false },
      { resource: 'ingresses', kind: 'Ingress', shortNames: ['ing'], status: true },
      { resource: 'networkpolicies', kind: 'NetworkPolicy', shortNames: ['netpol'] },
    ],
  },
  {
    group: 'policy',
    version: 'v1',
    entries: [{ resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', shortNames: ['pdb'], status: true }],
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    entries: [
      { resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false, nameRule: 'path-segment' },
      { resource: 'clusterroles', kind: 'ClusterRole', namespaced: false, nameRule: 'path-segment' },
      { resource: 'rolebindings', kind: 'RoleBinding', nameRule: 'path-segment' },
      { resource: 'roles', kind: 'Role', nameRule: 'path-segment' },
    ],
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    entries: [
      {
        resource: 'customresourcedefinitions',
        kind: 'CustomResourceDefinition',
        namespaced: false,
        shortNames: ['crd', 'crds'],
        status: true,
        categories: ['api-extensions'],
      },
    ],
  },
];

// The built-ins whose registry strategy sets metadata.generation.
const WITH_GENERATION = new Set([
  'pods',
  'daemonsets',
  'deployments',
  'replicasets',
  'statefulsets',
  'cronjobs',
  'jobs',
  'ingressclasses',
  'ingresses',
  'networkpolicies',
  'poddisruptionbudgets',
  'customresourcedefinitions',
]);

function toType(group: string, version: string, e: Entry): ResourceType {
  return {
    group,
    version,
    resource: e.resource,
    singular: e.kind.toLowerCase(),
    kind: e.kind,
    listKind: `${e.kind}List`,
    namespaced: e.namespaced ?? true,
    verbs: e.verbs ?? ALL_VERBS,
    shortNames: e.shortNames ?? [],
    categories: e.categories ?? (e.all ? ['all'] : []),
    status: e.status ?? false,
    ...(e.scale ? { scale: WORKLOAD_SCALE } : {}),
    nameRule: e.nameRule ?? 'subdomain',
    ...(e.createNameMax ? { createNameMax: e.createNameMax } : {}),
    generation: WITH_GENERATION.has(e.resource),
  };
}

export function builtinResources(): ResourceType[] {
  return GROUPS.flatMap(({ group, version, entries }) => entries.map((e) => toType(group, version, e)));
}
