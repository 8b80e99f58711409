// Apply order within one wave: Helm's install order (pkg/release/util/kind_sorter.go,
// InstallOrder, as of Helm v4, which added PriorityClass at the head), so namespaces and
// CRDs exist before what lives in them, and webhooks are registered last so they cannot
// reject the objects of the chart that serves them. Kinds not in the list (custom
// resources) come after every known kind, sorted by kind name, as Helm sorts them.
//
// Unlike Helm we match the API group too: a custom resource that happens to be called
// `Service` or `Secret` must not jump ahead of the CRD that defines it.
import { groupOf, type KubeObject } from '../kube/object.ts';

const CORE = [''];
const APPS = ['apps', 'extensions'];
const RBAC = ['rbac.authorization.k8s.io'];

const INSTALL_ORDER: ReadonlyArray<readonly [kind: string, groups: readonly string[]]> = [
  ['PriorityClass', ['scheduling.k8s.io']],
  ['Namespace', CORE],
  ['NetworkPolicy', ['networking.k8s.io', 'extensions']],
  ['ResourceQuota', CORE],
  ['LimitRange', CORE],
  ['PodSecurityPolicy', ['policy', 'extensions']],
  ['PodDisruptionBudget', ['policy']],
  ['ServiceAccount', CORE],
  ['Secret', CORE],
  ['SecretList', CORE],
  ['ConfigMap', CORE],
  ['StorageClass', ['storage.k8s.io']],
  ['PersistentVolume', CORE],
  ['PersistentVolumeClaim', CORE],
  ['CustomResourceDefinition', ['apiextensions.k8s.io']],
  ['ClusterRole', RBAC],
  ['ClusterRoleList', RBAC],
  ['ClusterRoleBinding', RBAC],
  ['ClusterRoleBindingList', RBAC],
  ['Role', RBAC],
  ['RoleList', RBAC],
  ['RoleBinding', RBAC],
  ['RoleBindingList', RBAC],
  ['Service', CORE],
  ['DaemonSet', APPS],
  ['Pod', CORE],
  ['ReplicationController', CORE],
  ['ReplicaSet', APPS],
  ['Deployment', APPS],
  ['HorizontalPodAutoscaler', ['autoscaling']],
  ['StatefulSet', ['apps']],
  ['Job', ['batch']],
  ['CronJob', ['batch']],
  ['IngressClass', ['networking.k8s.io']],
  ['Ingress', ['networking.k8s.io', 'extensions']],
  ['APIService', ['apiregistration.k8s.io']],
  ['MutatingWebhookConfiguration', ['admissionregistration.k8s.io']],
  ['ValidatingWebhookConfiguration', ['admissionregistration.k8s.io']],
];

const RANK = new Map<string, number>();
INSTALL_ORDER.forEach(([kind, groups], index) => {
  for (const group of groups) RANK.set(`${group}/${kind}`, index);
});

/** Position in the install order, or undefined for kinds Helm does not know. */
export function kindRank(apiVersion: string, kind: string): number | undefined {
  return RANK.get(`${groupOf(apiVersion)}/${kind}`);
}

type Typed = Pick<KubeObject, 'apiVersion' | 'kind'>;

/** Array.prototype.sort comparator: install order, unknown kinds last by kind name. */
export function compareKindOrder(a: Typed, b: Typed): number {
  const rankA = kindRank(a.apiVersion, a.kind);
  const rankB = kindRank(b.apiVersion, b.kind);
  if (rankA !== undefined && rankB !== undefined) return rankA - rankB;
  if (rankA !== undefined) return -1;
  if (rankB !== undefined) return 1;
  return compareStrings(a.kind, b.kind);
}

// Not localeCompare: the order must not depend on the Lambda's locale.
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Consecutive runs of the same install rank, for applying (or pruning) kind by kind: the
 * items must already be sorted by compareKindOrder, one way or the other.
 */
export function batchesByKind<T>(items: readonly T[], typeOf: (item: T) => Typed): T[][] {
  const batches: T[][] = [];
  for (const item of items) {
    const last = batches[batches.length - 1];
    if (last && compareKindOrder(typeOf(last[0]), typeOf(item)) === 0) last.push(item);
    else batches.push([item]);
  }
  return batches;
}
