// Connecting to a registered cluster from the CLI, step by step, so a failure says which step
// failed: for EKS DescribeCluster → token → /version → list namespaces; for a kubeconfig
// cluster load the kubeconfig → /version → list namespaces. `driftless app` reuses the
// connection for live health.
import { EKSClient } from '@aws-sdk/client-eks';
import type { ClusterSpec } from '../../shared/config/types.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { connectEndpoint, connectKubeconfig } from '../../shared/kube/connect.ts';
import { describeEks } from '../../shared/kube/eks.ts';
import { TokenCache } from '../../shared/kube/eks-token.ts';
import { KubeApiError } from '../../shared/kube/errors.ts';
import type { Environment } from '../../shared/runtime/environment.ts';

export interface CheckStep {
  step: string;
  ok: boolean;
  /** What was found, or what failed and what to do. */
  detail: string;
}

export interface ClusterCheck {
  cluster: string;
  ok: boolean;
  steps: CheckStep[];
}

/** Short timeouts and no retries: a check answers fast, and says what is wrong. */
const CHECK_CLIENT = { maxAttempts: 1, timeoutMs: 10_000 };

/** Connects to the cluster through the steps above; the client comes back when they got that far. */
export async function connectSteps(cluster: ClusterSpec, env: Environment, steps: CheckStep[]): Promise<KubeClient | undefined> {
  if (cluster.eks) {
    const { clusterName, region, roleArn } = cluster.eks;
    let endpoint;
    const eks = new EKSClient({ region });
    try {
      endpoint = await describeEks({ clusterName, region, roleArn, eksClient: roleArn ? undefined : eks });
      steps.push({ step: 'DescribeCluster', ok: true, detail: `${clusterName} in ${region}: ${endpoint.server}` });
    } catch (error) {
      steps.push({ step: 'DescribeCluster', ok: false, detail: `${firstLine(error)}${roleArn ? ` (as role ${roleArn})` : ''}` });
      return undefined;
    } finally {
      eks.destroy();
    }
    const tokens = new TokenCache({ clusterName, region, roleArn });
    try {
      await tokens.get();
      steps.push({ step: 'token', ok: true, detail: roleArn ? `signed as role ${roleArn}` : 'signed with the current AWS credentials' });
    } catch (error) {
      steps.push({
        step: 'token',
        ok: false,
        detail: `${firstLine(error)}: check the AWS credentials${roleArn ? ` and that they may assume ${roleArn}` : ''}`,
      });
      return undefined;
    }
    return connectEndpoint({ server: endpoint.server, caData: endpoint.caData, token: () => tokens.get() }, CHECK_CLIENT);
  }
  if (cluster.kubeconfig) {
    const path = cluster.kubeconfig.path ?? env.KUBECONFIG;
    const where = `${path ?? '~/.kube/config'}${cluster.kubeconfig.context ? ` context ${cluster.kubeconfig.context}` : ''}`;
    try {
      const client = await connectKubeconfig({ kubeconfig: path, context: cluster.kubeconfig.context }, CHECK_CLIENT);
      steps.push({ step: 'kubeconfig', ok: true, detail: `${where}: ${client.server}` });
      return client;
    } catch (error) {
      steps.push({ step: 'kubeconfig', ok: false, detail: `${firstLine(error)} (${where})` });
      return undefined;
    }
  }
  steps.push({ step: 'settings', ok: false, detail: 'the cluster has neither eks nor kubeconfig settings in the registry' });
  return undefined;
}

export async function checkCluster(cluster: ClusterSpec, env: Environment): Promise<ClusterCheck> {
  const steps: CheckStep[] = [];
  const client = await connectSteps(cluster, env, steps);
  if (client) {
    try {
      try {
        const version = await client.get<{ gitVersion?: string }>('/version');
        steps.push({ step: '/version', ok: true, detail: `Kubernetes ${version?.gitVersion ?? '(no gitVersion)'}` });
      } catch (error) {
        steps.push({ step: '/version', ok: false, detail: apiAdvice(error, cluster) });
        return { cluster: cluster.name, ok: false, steps };
      }
      try {
        const list = await client.get<{ items?: Array<{ metadata?: { name?: string } }> }>('/api/v1/namespaces', { limit: '500' });
        if (!Array.isArray(list?.items)) throw new Error('the answer is not a NamespaceList');
        steps.push({ step: 'list namespaces', ok: true, detail: `${list.items.length} namespaces` });
      } catch (error) {
        steps.push({ step: 'list namespaces', ok: false, detail: apiAdvice(error, cluster) });
      }
    } finally {
      client.close();
    }
  }
  return { cluster: cluster.name, ok: steps.every((step) => step.ok), steps };
}

function apiAdvice(error: unknown, cluster: ClusterSpec): string {
  const message = firstLine(error);
  if (error instanceof KubeApiError && error.code === 401)
    return `${message}: the API server does not accept these credentials${cluster.eks ? ' (for EKS: an access entry for this IAM identity is missing)' : ''}`;
  if (error instanceof KubeApiError && error.code === 403)
    return `${message}: the identity is known but may not do this${cluster.eks ? ' (give its EKS access entry an access policy, e.g. AmazonEKSClusterAdminPolicy)' : ' (RBAC)'}`;
  return `${message}: is the API server up and reachable from here (endpoint access, VPN, security groups)?`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
