// Who may talk to which cluster: IAM on the AWS side (DescribeCluster, AssumeRole) and EKS
// access entries on the Kubernetes side.
import { Arn, Aws, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct } from 'constructs';
import type { DriftlessFunction } from './driftless-function.ts';

export type AccessScope = { type: 'cluster' } | { type: 'namespace'; namespaces: string[] };

/** What the worker's access entry grants: an EKS access policy at a scope, Kubernetes groups, or both. */
export interface ResolvedAccess {
  readonly scope?: AccessScope;
  readonly kubernetesGroups?: string[];
}

export interface ManagedCluster {
  /** The EKS cluster name. */
  readonly name: string;
  /** Default: the stack's region. */
  readonly region?: string;
  /** Default: the stack's account. */
  readonly account?: string;
  /**
   * A role the functions assume to reach this cluster (typically in another account). Whoever
   * owns the cluster maps that role; Driftless then creates no access entry for it.
   */
  readonly roleArn?: string;
  /**
   * What Driftless may do there. There is no default: a cluster Driftless maps itself on (no
   * `roleArn`) must say one of `namespaces` (Kubernetes' `admin` role in those namespaces, the
   * least-privilege choice), `access: 'cluster-admin'`, `kubernetesGroups` (your own RBAC), or
   * the older `accessScope`.
   */
  readonly namespaces?: string[];
  /** `cluster-admin`: AmazonEKSClusterAdminPolicy at cluster scope, needed to create Namespaces and CRDs. */
  readonly access?: 'cluster-admin';
  /**
   * Kubernetes groups for the worker's access entry (the `name` of a `kind: Group` subject in your
   * RoleBindings). Alone, the entry carries no access policy and your RBAC decides everything.
   */
  readonly kubernetesGroups?: string[];
  /** The same as `namespaces` / `access` in the Cluster registry's own terms. */
  readonly accessScope?: AccessScope;
}

export interface ClusterAccessProps {
  readonly clusters: ManagedCluster[];
}

/** An EKS access policy: `arn:<partition>:eks::aws:cluster-access-policy/<name>`. */
export function accessPolicyArn(name: string): string {
  return `arn:${Aws.PARTITION}:eks::aws:cluster-access-policy/${name}`;
}

// EKS's own rule for cluster names.
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]+$/;

export class ClusterAccess extends Construct {
  declare readonly clusters: ManagedCluster[];

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    validateClusters(props.clusters);
    this.clusters = props.clusters;
  }

  /** The clusters this stack can create access entries for: same account and region, no role to assume. */
  get localClusters(): ManagedCluster[] {
    return this.clusters.filter((cluster) => this.isLocal(cluster));
  }

  /**
   * Lets `fn` reach every managed cluster: eks:DescribeCluster on exactly their ARNs,
   * sts:AssumeRole on exactly the declared roles, and an access entry for the function's
   * role on each local cluster at the cluster's declared scope.
   */
  bind(fn: DriftlessFunction): void {
    if (this.clusters.length === 0) return;
    fn.allow(
      ['eks:DescribeCluster'],
      this.clusters.map((cluster) => this.clusterArn(cluster)),
    );

    const roles = [...new Set(this.clusters.flatMap((cluster) => (cluster.roleArn ? [cluster.roleArn] : [])))];
    if (roles.length > 0) fn.allow(['sts:AssumeRole'], roles);

    for (const cluster of this.localClusters) {
      const { scope, kubernetesGroups } = resolveAccess(cluster);
      new eks.CfnAccessEntry(this, `${cluster.name}-${principalId(fn)}`, {
        clusterName: cluster.name,
        principalArn: fn.role.roleArn,
        type: 'STANDARD',
        kubernetesGroups,
        accessPolicies: scope ? [accessPolicy(scope)] : undefined,
      });
    }
  }

  clusterArn(cluster: ManagedCluster): string {
    return Arn.format(
      {
        service: 'eks',
        resource: 'cluster',
        resourceName: cluster.name,
        region: cluster.region ?? Aws.REGION,
        account: cluster.account ?? Aws.ACCOUNT_ID,
      },
      Stack.of(this),
    );
  }

  // An access entry is a regional resource of the stack's account; elsewhere (or when the
  // stack's environment is unknown at synth time and the cluster names one) it cannot be
  // created from here and the cluster's owner adds it.
  private isLocal(cluster: ManagedCluster): boolean {
    if (cluster.roleArn) return false;
    const stack = Stack.of(this);
    const same = (declared: string | undefined, actual: string): boolean => declared === undefined || (!Token.isUnresolved(actual) && declared === actual);
    return same(cluster.account, stack.account) && same(cluster.region, stack.region);
  }
}

/** The access a cluster declares; throws for a cluster Driftless would map on that declares none. */
export function resolveAccess(cluster: ManagedCluster, where = `cluster "${cluster.name}"`): ResolvedAccess {
  const { namespaces, access, kubernetesGroups, accessScope } = cluster;
  if (accessScope && (namespaces !== undefined || access !== undefined)) {
    throw new Error(`${where}: give either accessScope or namespaces/access, not both.`);
  }
  if (access !== undefined && access !== 'cluster-admin') {
    throw new Error(`${where}.access must be "cluster-admin" (for namespaces, list them in "namespaces"), got "${String(access)}".`);
  }
  if (access === 'cluster-admin' && namespaces !== undefined) {
    throw new Error(`${where}: "access": "cluster-admin" is cluster-wide; drop "namespaces" or the cluster-admin access.`);
  }
  if (namespaces !== undefined && (!Array.isArray(namespaces) || namespaces.length === 0 || namespaces.some((ns) => !ns))) {
    throw new Error(`${where}.namespaces: list at least one namespace.`);
  }
  if (kubernetesGroups !== undefined && (!Array.isArray(kubernetesGroups) || kubernetesGroups.length === 0 || kubernetesGroups.some((g) => !g))) {
    throw new Error(`${where}.kubernetesGroups: list at least one group name.`);
  }
  if (accessScope?.type === 'namespace' && (!Array.isArray(accessScope.namespaces) || accessScope.namespaces.length === 0)) {
    throw new Error(`${where}.accessScope: a namespace scope needs at least one namespace in "namespaces".`);
  }
  if (accessScope && accessScope.type !== 'cluster' && accessScope.type !== 'namespace') {
    throw new Error(`${where}.accessScope.type must be "cluster" or "namespace".`);
  }
  const scope: AccessScope | undefined =
    accessScope ?? (access === 'cluster-admin' ? { type: 'cluster' } : namespaces ? { type: 'namespace', namespaces } : undefined);
  if (!scope && !kubernetesGroups && !cluster.roleArn) {
    throw new Error(
      `${where}: say what Driftless may do there: "namespaces": [...] (admin in those namespaces), ` +
        `"access": "cluster-admin" (everything, including Namespaces and CRDs), or "kubernetesGroups": [...] (your own RBAC).`,
    );
  }
  return { scope, kubernetesGroups };
}

function accessPolicy(scope: AccessScope): eks.CfnAccessEntry.AccessPolicyProperty {
  return scope.type === 'cluster'
    ? { policyArn: accessPolicyArn('AmazonEKSClusterAdminPolicy'), accessScope: { type: 'cluster' } }
    : {
        // Kubernetes' `admin` role inside the listed namespaces: it cannot create Namespaces or
        // CRDs, which is the point of confining an installation, but it can manage the Roles
        // and RoleBindings apps ship (AmazonEKSEditPolicy could not).
        policyArn: accessPolicyArn('AmazonEKSAdminPolicy'),
        accessScope: { type: 'namespace', namespaces: scope.namespaces },
      };
}

// Functions are named by their owner (Sync/Worker, Webhook/Handler): their last id alone may collide.
function principalId(fn: DriftlessFunction): string {
  return `${fn.node.scope?.node.id ?? ''}${fn.node.id}`;
}

function validateClusters(clusters: ManagedCluster[]): void {
  const seen = new Set<string>();
  clusters.forEach((cluster, index) => {
    const where = `clusters[${index}]`;
    if (!CLUSTER_NAME.test(cluster.name ?? '')) {
      throw new Error(`${where}.name "${cluster.name}" is not an EKS cluster name (letters, digits, - and _, up to 100).`);
    }
    const key = `${cluster.account ?? ''}/${cluster.region ?? ''}/${cluster.name}`;
    if (seen.has(key)) throw new Error(`${where}: cluster "${cluster.name}" is declared twice.`);
    seen.add(key);
    if (cluster.account !== undefined && !/^\d{12}$/.test(cluster.account)) {
      throw new Error(`${where}.account "${cluster.account}" is not a 12-digit AWS account id.`);
    }
    if (cluster.roleArn !== undefined && !ROLE_ARN.test(cluster.roleArn)) {
      throw new Error(`${where}.roleArn "${cluster.roleArn}" is not an IAM role ARN.`);
    }
    resolveAccess(cluster, where);
  });
}
