// Every resource a Kubernetes 1.34 API server serves out of the box: each built-in group at its
// GA versions (new beta and alpha APIs are off by default since 1.24, KEP-3136, so a default
// cluster, EKS included, serves none of them). A data table, not code per kind.
//
// Sources (kubernetes/kubernetes):
// - api/discovery/*.json and api/discovery/aggregated_v2.json, the discovery documents the API
//   server publishes (resource, kind, scope, singular, short names, categories, verbs and
//   subresources), e.g. api__v1.json @ 4d817e791304350f797ea28d315a677873d20cba,
//   aggregated_v2.json @ 0209a4cb57a359609b96779f044bcdff8e8df70d. The stored documents are of
//   several releases; which resources are GA in 1.34 is from the release notes: resource.k8s.io/v1
//   (KEP-4381) and storage.k8s.io VolumeAttributesClass (KEP-3751) went GA in 1.34, networking
//   IPAddress and ServiceCIDR (KEP-1880) in 1.33; MutatingAdmissionPolicy is still beta.
// - api/discovery/apis.json: the order the groups are listed in (their priority).
// - the name function each kind's validation hands ValidateObjectMeta (pkg/apis/*/validation,
//   staging/src/k8s.io/kube-aggregator/pkg/apis/apiregistration/validation): see ./names.ts.
// - metadata.generation: the registry strategies that set `Generation = 1` on create
//   (pkg/registry/*/strategy.go).
//
// Subresources the sandbox does not serve (pods/exec, pods/log, nodes/proxy, namespaces/finalize,
// pods/eviction, certificatesigningrequests/approval, ...) are left out of discovery too.
import type { NameRule } from './names.ts';

export interface BuiltinResource {
  /** Plural, as in the URL. */
  resource: string;
  kind: string;
  /** When it is not the kind in lower case (`endpoints`). */
  singular?: string;
  /** Cluster-scoped (discovery's `namespaced: false`). */
  cluster?: true;
  shortNames?: string[];
  categories?: string[];
  /** When not the eight of a stored resource. */
  verbs?: string[];
  status?: true;
  /** The autoscaling/v1 Scale subresource, at `.spec.replicas`. */
  scale?: true;
  /** serviceaccounts/token: a TokenRequest (authentication.k8s.io/v1) is created through it. */
  token?: true;
  /** Create-only kinds the server answers without storing (access and token reviews). */
  review?: true;
  nameRule?: NameRule;
  createNameMax?: number;
  /** The registry strategy keeps metadata.generation. */
  generation?: true;
  /** Served only at these versions of the group (default: all of them). */
  versions?: string[];
}

export interface BuiltinGroup {
  /** '' for the core group. */
  group: string;
  /** Preferred first. */
  versions: string[];
  resources: BuiltinResource[];
}

const ALL = ['all'];
const API_EXTENSIONS = ['api-extensions'];
const GET_LIST = ['get', 'list'];
const CREATE = ['create'];
// Namespaces have no deletecollection (api__v1.json).
const NAMESPACE_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const BUILTIN_GROUPS: readonly BuiltinGroup[] = [
  {
    group: '',
    versions: ['v1'],
    resources: [
      { resource: 'componentstatuses', kind: 'ComponentStatus', cluster: true, shortNames: ['cs'], verbs: GET_LIST },
      { resource: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] },
      { resource: 'endpoints', kind: 'Endpoints', singular: 'endpoints', shortNames: ['ep'] },
      { resource: 'events', kind: 'Event', shortNames: ['ev'] },
      { resource: 'limitranges', kind: 'LimitRange', shortNames: ['limits'] },
      { resource: 'namespaces', kind: 'Namespace', cluster: true, shortNames: ['ns'], verbs: NAMESPACE_VERBS, status: true, nameRule: 'label' },
      { resource: 'nodes', kind: 'Node', cluster: true, shortNames: ['no'], status: true },
      { resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', shortNames: ['pvc'], status: true },
      { resource: 'persistentvolumes', kind: 'PersistentVolume', cluster: true, shortNames: ['pv'], status: true },
      { resource: 'pods', kind: 'Pod', shortNames: ['po'], categories: ALL, status: true, generation: true },
      { resource: 'podtemplates', kind: 'PodTemplate' },
      { resource: 'replicationcontrollers', kind: 'ReplicationController', shortNames: ['rc'], categories: ALL, status: true, scale: true, generation: true },
      { resource: 'resourcequotas', kind: 'ResourceQuota', shortNames: ['quota'], status: true },
      { resource: 'secrets', kind: 'Secret' },
      { resource: 'serviceaccounts', kind: 'ServiceAccount', shortNames: ['sa'], token: true },
      { resource: 'services', kind: 'Service', shortNames: ['svc'], categories: ALL, status: true, nameRule: 'dns1035' },
    ],
  },
  {
    group: 'apiregistration.k8s.io',
    versions: ['v1'],
    resources: [{ resource: 'apiservices', kind: 'APIService', cluster: true, categories: API_EXTENSIONS, status: true, nameRule: 'api-service' }],
  },
  {
    group: 'apps',
    versions: ['v1'],
    resources: [
      { resource: 'controllerrevisions', kind: 'ControllerRevision' },
      { resource: 'daemonsets', kind: 'DaemonSet', shortNames: ['ds'], categories: ALL, status: true, generation: true },
      { resource: 'deployments', kind: 'Deployment', shortNames: ['deploy'], categories: ALL, status: true, scale: true, generation: true },
      { resource: 'replicasets', kind: 'ReplicaSet', shortNames: ['rs'], categories: ALL, status: true, scale: true, generation: true },
      { resource: 'statefulsets', kind: 'StatefulSet', shortNames: ['sts'], categories: ALL, status: true, scale: true, nameRule: 'label', generation: true },
    ],
  },
  {
    group: 'events.k8s.io',
    versions: ['v1'],
    resources: [{ resource: 'events', kind: 'Event', shortNames: ['ev'] }],
  },
  {
    group: 'authentication.k8s.io',
    versions: ['v1'],
    resources: [
      { resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', cluster: true, verbs: CREATE, review: true },
      { resource: 'tokenreviews', kind: 'TokenReview', cluster: true, verbs: CREATE, review: true },
    ],
  },
  {
    group: 'authorization.k8s.io',
    versions: ['v1'],
    resources: [
      { resource: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', verbs: CREATE, review: true },
      { resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', cluster: true, verbs: CREATE, review: true },
      { resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', cluster: true, verbs: CREATE, review: true },
      { resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', cluster: true, verbs: CREATE, review: true },
    ],
  },
  {
    group: 'autoscaling',
    versions: ['v2', 'v1'],
    resources: [{ resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', shortNames: ['hpa'], categories: ALL, status: true }],
  },
  {
    group: 'batch',
    versions: ['v1'],
    resources: [
      // New CronJobs are held to 52 characters so the Jobs they create fit (ValidateCronJobCreate).
      { resource: 'cronjobs', kind: 'CronJob', shortNames: ['cj'], categories: ALL, status: true, createNameMax: 52, generation: true },
      { resource: 'jobs', kind: 'Job', categories: ALL, status: true, generation: true },
    ],
  },
  {
    group: 'certificates.k8s.io',
    versions: ['v1'],
    resources: [
      { resource: 'certificatesigningrequests', kind: 'CertificateSigningRequest', cluster: true, shortNames: ['csr'], status: true, nameRule: 'any' },
    ],
  },
  {
    group: 'networking.k8s.io',
    versions: ['v1'],
    resources: [
      { resource: 'ingressclasses', kind: 'IngressClass', cluster: true, generation: true },
      { resource: 'ingresses', kind: 'Ingress', shortNames: ['ing'], status: true, generation: true },
      { resource: 'ipaddresses', kind: 'IPAddress', cluster: true, shortNames: ['ip'], nameRule: 'ip-address' },
      { resource: 'networkpolicies', kind: 'NetworkPolicy', shortNames: ['netpol'], generation: true },
      { resource: 'servicecidrs', kind: 'ServiceCIDR', cluster: true, status: true },
    ],
  },
  {
    group: 'policy',
    versions: ['v1'],
    resources: [{ resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', shortNames: ['pdb'], status: true, generation: true }],
  },
  {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    resources: [
      { resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', cluster: true, nameRule: 'path-segment' },
      { resource: 'clusterroles', kind: 'ClusterRole', cluster: true, nameRule: 'path-segment' },
      { resource: 'rolebindings', kind: 'RoleBinding', nameRule: 'path-segment' },
      { resource: 'roles', kind: 'Role', nameRule: 'path-segment' },
    ],
  },
  {
    group: 'storage.k8s.io',
    versions: ['v1'],
    resources: [
      { resource: 'csidrivers', kind: 'CSIDriver', cluster: true },
      { resource: 'csinodes', kind: 'CSINode', cluster: true },
      { resource: 'csistoragecapacities', kind: 'CSIStorageCapacity' },
      { resource: 'storageclasses', kind: 'StorageClass', cluster: true, shortNames: ['sc'] },
      { resource: 'volumeattachments', kind: 'VolumeAttachment', cluster: true, status: true },
      { resource: 'volumeattributesclasses', kind: 'VolumeAttributesClass', cluster: true, shortNames: ['vac'] },
    ],
  },
  {
    group: 'admissionregistration.k8s.io',
    versions: ['v1'],
    resources: [
      { resource: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration', cluster: true, categories: API_EXTENSIONS, generation: true },
      { resource: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy', cluster: true, categories: API_EXTENSIONS, status: true, generation: true },
      { resource: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding', cluster: true, categories: API_EXTENSIONS, generation: true },
      { resource: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration', cluster: true, categories: API_EXTENSIONS, generation: true },
    ],
  },
  {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    resources: [
      {
        resource: 'customresourcedefinitions',
        kind: 'CustomResourceDefinition',
        cluster: true,
        shortNames: ['crd', 'crds'],
        categories: API_EXTENSIONS,
        status: true,
        generation: true,
      },
    ],
  },
  {
    group: 'scheduling.k8s.io',
    versions: ['v1'],
    resources: [{ resource: 'priorityclasses', kind: 'PriorityClass', cluster: true, shortNames: ['pc'] }],
  },
  {
    group: 'coordination.k8s.io',
    versions: ['v1'],
    resources: [{ resource: 'leases', kind: 'Lease' }],
  },
  {
    group: 'node.k8s.io',
    versions: ['v1'],
    resources: [{ resource: 'runtimeclasses', kind: 'RuntimeClass', cluster: true }],
  },
  {
    group: 'discovery.k8s.io',
    versions: ['v1'],
    resources: [{ resource: 'endpointslices', kind: 'EndpointSlice', generation: true }],
  },
  {
    group: 'flowcontrol.apiserver.k8s.io',
    versions: ['v1'],
    resources: [
      { resource: 'flowschemas', kind: 'FlowSchema', cluster: true, status: true, generation: true },
      { resource: 'prioritylevelconfigurations', kind: 'PriorityLevelConfiguration', cluster: true, status: true, generation: true },
    ],
  },
  {
    group: 'resource.k8s.io',
    versions: ['v1'],
    resources: [
      { resource: 'deviceclasses', kind: 'DeviceClass', cluster: true, generation: true },
      { resource: 'resourceclaims', kind: 'ResourceClaim', status: true },
      { resource: 'resourceclaimtemplates', kind: 'ResourceClaimTemplate' },
      { resource: 'resourceslices', kind: 'ResourceSlice', cluster: true, generation: true },
    ],
  },
];
