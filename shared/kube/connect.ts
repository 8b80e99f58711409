// Connection settings → KubeClient. Locally from a kubeconfig (via client-node, which knows
// every auth flavour: tokens, client certificates, exec plugins); for EKS from the cluster's
// endpoint, CA and a token provider (shared/kube/eks-token.ts builds those).
import type { RequestOptions } from 'node:https';
import { KubeClient, type KubeClientOptions } from './client.ts';
import { KubeConfigError } from './errors.ts';

export interface KubeconfigTarget {
  /** Path of a kubeconfig file; absent means $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** Inline kubeconfig YAML, used instead of a file when given. */
  kubeconfigYaml?: string;
  context?: string;
}

export interface EndpointTarget {
  server: string;
  caData: string;
  token(): Promise<string>;
}

export async function connectKubeconfig(target: KubeconfigTarget, options?: KubeClientOptions): Promise<KubeClient> {
  // Loaded on first use: the package takes most of a second to import, which the
  // sandbox, render and the EKS path never need.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  try {
    if (target.kubeconfigYaml) config.loadFromString(target.kubeconfigYaml);
    else if (target.kubeconfig) config.loadFromFile(target.kubeconfig);
    else config.loadFromDefault();
    if (target.context) config.setCurrentContext(target.context);
  } catch (error) {
    throw new KubeConfigError(`cannot load kubeconfig ${target.kubeconfig ?? '(default)'}: ${(error as Error).message}`, { cause: error });
  }
  const cluster = config.getCurrentCluster();
  if (!cluster) {
    const where = target.kubeconfig ?? '(default kubeconfig)';
    throw new KubeConfigError(`${where}: context "${target.context ?? config.getCurrentContext()}" names no cluster`);
  }
  const tls: RequestOptions = {};
  await config.applyToHTTPSOptions(tls);
  return new KubeClient(
    {
      server: cluster.server,
      ca: tls.ca as Buffer | undefined,
      cert: tls.cert as Buffer | undefined,
      key: tls.key as Buffer | undefined,
      rejectUnauthorized: tls.rejectUnauthorized,
      async headers() {
        // Re-asked per request: exec plugins and token files refresh here.
        const fresh: RequestOptions = {};
        await config.applyToHTTPSOptions(fresh);
        return Object.fromEntries(Object.entries(fresh.headers ?? {}).map(([key, value]) => [key, String(value)]));
      },
    },
    options,
  );
}

export function connectEndpoint(target: EndpointTarget, options?: KubeClientOptions): KubeClient {
  return new KubeClient(
    {
      server: target.server,
      ca: Buffer.from(target.caData, 'base64'),
      async headers() {
        return { Authorization: `Bearer ${await target.token()}` };
      },
    },
    options,
  );
}
