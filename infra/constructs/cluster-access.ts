// Who may talk to which cluster: IAM on the AWS side (DescribeCluster, AssumeRole) and EKS
// access entries on the Kubernetes side.
import { Arn, Aws, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import { Construct } from 'constructs';
import type { DriftlessFunction } from './driftless-function.ts';

export type AccessScope = { type: 'cluster' } | { type: 'namespace'; namespaces: string[] };

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
  /** Default `{ type: 'cluster' }`: cluster admin. */
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
    fn.allow(['eks:DescribeCluster'], this.clusters.map((cluster) => this.clusterArn(cluster)));

    const roles = [...new Set(this.clusters.flatMap((cluster) => (cluster.roleArn ? [cluster.roleArn] : [])))];
    if (roles.length > 0) fn.allow(['sts:AssumeRole'], roles);

    for (const cluster of this.localClusters) {
      const scope = cluster.accessScope ?? { type: 'cluster' };
      new eks.CfnAccessEntry(this, `${cluster.name}-${principalId(fn)}`, {
        clusterName: cluster.name,
        principalArn: fn.role.roleArn,
        type: 'STANDARD',
        accessPolicies: [
          scope.type === 'cluster'
            ? { policyArn: accessPolicyArn('AmazonEKSClusterAdminPolicy'), accessScope: { type: 'cluster' } }
            : {
                // Kubernetes' `admin` role inside the listed namespaces: it cannot create
                // Namespaces or CRDs, which is the point of confining an installation.
                policyArn: accessPolicyArn('AmazonEKSAdminPolicy'),
                accessScope: { type: 'namespace', namespaces: scope.namespaces },
              },
        ],
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
    const same = (declared: string | undefined, actual: string): boolean =>
      declared === undefined || (!Token.isUnresolved(actual) && declared === actual);
    return same(cluster.account, stack.account) && same(cluster.region, stack.region);
  }
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
    const scope = cluster.accessScope;
    if (scope?.type === 'namespace' && (!Array.isArray(scope.namespaces) || scope.namespaces.length === 0)) {
      throw new Error(`${where}.accessScope: a namespace scope needs at least one namespace in "namespaces".`);
    }
    if (scope && scope.type !== 'cluster' && scope.type !== 'namespace') {
      throw new Error(`${where}.accessScope.type must be "cluster" or "namespace".`);
    }
  });
}
