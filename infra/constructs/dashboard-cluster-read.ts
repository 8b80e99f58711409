// Read-only cluster access for the dashboard API (the live resource tree and diff): what the
// drift scan reads, through Kubernetes' `view` role, which shows no Secret at all.
import * as eks from 'aws-cdk-lib/aws-eks';
import { accessPolicyArn, resolveAccess, type ClusterAccess } from './cluster-access.ts';
import type { DriftlessFunction } from './driftless-function.ts';

/**
 * eks:DescribeCluster on the clusters this stack maps itself on, and on each an access entry
 * for the function's role with AmazonEKSViewPolicy at the worker's scope (the same namespaces,
 * or the cluster). Not on clusters reached through a role (the worker's role there writes; its
 * owner may map a read-only role by hand), nor on clusters whose access is only Kubernetes groups
 * of the owner's RBAC (no scope to mirror): there the API shows what the state table records.
 */
export function bindClusterRead(access: ClusterAccess, fn: DriftlessFunction): void {
  const readable = access.localClusters.flatMap((cluster) => {
    const { scope } = resolveAccess(cluster);
    return scope ? [{ cluster, scope }] : [];
  });
  if (readable.length === 0) return;
  fn.allow(
    ['eks:DescribeCluster'],
    readable.map(({ cluster }) => access.clusterArn(cluster)),
  );
  for (const { cluster, scope } of readable) {
    new eks.CfnAccessEntry(fn, `ReadAccess-${cluster.name}`, {
      clusterName: cluster.name,
      principalArn: fn.role.roleArn,
      type: 'STANDARD',
      accessPolicies: [
        {
          policyArn: accessPolicyArn('AmazonEKSViewPolicy'),
          accessScope: scope.type === 'cluster' ? { type: 'cluster' } : { type: 'namespace', namespaces: scope.namespaces },
        },
      ],
    });
  }
}
