// A kubeconfig whose user runs a plugin (exec, auth-provider) or that is no file at all (the
// in-cluster service account): @kubernetes/client-node knows those flavours. Imported only
// then: the package takes a large share of a CLI run to load, which a token or certificate
// kubeconfig never needs.
import type { RequestOptions } from 'node:https';
import { KubeClient, type KubeClientOptions } from './client.ts';
import { KubeConfigError } from './errors.ts';
import type { KubeconfigSource } from './kubeconfig.ts';

export async function connectWithClientNode(target: KubeconfigSource, options?: KubeClientOptions): Promise<KubeClient> {
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
      servername: tls.servername ?? undefined,
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
