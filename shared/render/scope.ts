// Whether a kind lives in a namespace. The cluster's discovery knows best; before it is
// known (or for kinds it does not serve yet) CRDs rendered alongside say it, then the
// built-in kinds below. Anything still unknown counts as namespaced, as in Argo CD
// (IsNamespacedOrUnknown): most custom resources are.
import { groupOf } from '../kube/object.ts';
import type { IsNamespaced } from './types.ts';

const CLUSTER_SCOPED: Record<string, string[]> = {
  '': ['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'scheduling.k8s.io': ['PriorityClass'],
  'admissionregistration.k8s.io': [
    'ValidatingWebhookConfiguration',
    'MutatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
    'MutatingAdmissionPolicy',
    'MutatingAdmissionPolicyBinding',
  ],
  'networking.k8s.io': ['IngressClass', 'IPAddress', 'ServiceCIDR'],
  'storage.k8s.io': ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass'],
  'node.k8s.io': ['RuntimeClass'],
  'certificates.k8s.io': ['CertificateSigningRequest', 'ClusterTrustBundle'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
  'resource.k8s.io': ['DeviceClass', 'ResourceSlice'],
  'storagemigration.k8s.io': ['StorageVersionMigration'],
};

const BUILT_IN = new Set(Object.entries(CLUSTER_SCOPED).flatMap(([group, kinds]) => kinds.map((kind) => `${group}/${kind}`)));

export function isBuiltInClusterScoped(group: string, kind: string): boolean {
  return BUILT_IN.has(`${group}/${kind}`);
}

/** Scope answers in order: discovery, CRDs among `objects`, built-in kinds, else namespaced. */
export function scopeResolver(objects: readonly unknown[], discovery?: IsNamespaced): (group: string, kind: string) => boolean {
  const fromCrds = crdScopes(objects);
  return (group, kind) => discovery?.(group, kind) ?? fromCrds.get(`${group}/${kind}`) ?? !isBuiltInClusterScoped(group, kind);
}

function crdScopes(objects: readonly unknown[]): Map<string, boolean> {
  const scopes = new Map<string, boolean>();
  for (const object of objects) {
    const crd = object as { apiVersion?: unknown; kind?: unknown; spec?: { group?: unknown; names?: { kind?: unknown }; scope?: unknown } };
    if (crd.kind !== 'CustomResourceDefinition' || typeof crd.apiVersion !== 'string') continue;
    if (groupOf(crd.apiVersion) !== 'apiextensions.k8s.io') continue;
    const { group, names, scope } = crd.spec ?? {};
    if (typeof group === 'string' && typeof names?.kind === 'string') {
      scopes.set(`${group}/${names.kind}`, scope !== 'Cluster');
    }
  }
  return scopes;
}
