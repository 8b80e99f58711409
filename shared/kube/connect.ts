// Connection settings → KubeClient. Locally from a kubeconfig, read here as kubectl reads it
// (kubeconfig.ts: tokens, token files, basic auth, client certificates, CA, insecure,
// tls-server-name, proxy-url); only exec and auth-provider plugins go through client-node,
// imported then and only then (connect-plugin.ts). For EKS from the cluster's endpoint, CA
// and a token provider (shared/kube/eks-token.ts builds those).
import { readFile } from 'node:fs/promises';
import { KubeClient, type KubeClientOptions } from './client.ts';
import { KubeConfigError } from './errors.ts';
import { loadKubeconfig, type KubeconfigSource, type KubeconfigUser, type ResolvedKubeconfig } from './kubeconfig.ts';

export type KubeconfigTarget = KubeconfigSource;

export interface EndpointTarget {
  server: string;
  caData: string;
  token(): Promise<string>;
}

/** client-go re-reads a token file at most this often (it may be rotated under a running client). */
const TOKEN_FILE_REFRESH_MS = 60_000;

export async function connectKubeconfig(target: KubeconfigTarget, options?: KubeClientOptions): Promise<KubeClient> {
  const config = await loadKubeconfig(target);
  // A plugin, or no kubeconfig at all (in-cluster service account): client-node's own paths.
  if (!config || config.user.plugin) return (await import('./connect-plugin.ts')).connectWithClientNode(target, options);
  return clientFor(config, options);
}

function clientFor(config: ResolvedKubeconfig, options?: KubeClientOptions): KubeClient {
  const { cluster, user } = config;
  if (!cluster.server.startsWith('https://')) {
    throw new KubeConfigError(`${config.origin}: cluster "${cluster.name}" server ${cluster.server} is not https://, which is all this client speaks`);
  }
  if (cluster.proxyUrl && !/^https?:\/\//.test(cluster.proxyUrl)) {
    throw new KubeConfigError(`${config.origin}: cluster "${cluster.name}" proxy-url ${cluster.proxyUrl}: only http:// and https:// proxies are supported`);
  }
  return new KubeClient(
    {
      server: cluster.server,
      ca: cluster.ca,
      cert: user.cert,
      key: user.key,
      rejectUnauthorized: !cluster.insecureSkipTlsVerify,
      servername: cluster.tlsServerName,
      proxyUrl: cluster.proxyUrl,
      headers: authHeaders(user),
    },
    options,
  );
}

/** The headers a request carries for `user`: a bearer token (its file re-read once a minute), or basic auth. */
function authHeaders(user: KubeconfigUser): () => Promise<Record<string, string>> {
  const fixed: Record<string, string> = {};
  if (user.as) fixed['Impersonate-User'] = user.as;
  if (user.token) fixed.Authorization = `Bearer ${user.token}`;
  else if (user.username) fixed.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  const tokenFile = user.tokenFile;
  if (!tokenFile) return async () => fixed;
  let read: { token: string; at: number } | undefined;
  return async () => {
    if (!read || Date.now() - read.at > TOKEN_FILE_REFRESH_MS) {
      try {
        read = { token: (await readFile(tokenFile, 'utf8')).trim(), at: Date.now() };
      } catch (error) {
        // The last value read stays in use, as client-go keeps it; with none, the user's token (if any).
        if (!read && !user.token) throw new KubeConfigError(`user "${user.name}" tokenFile ${tokenFile}: ${(error as Error).message}`, { cause: error });
      }
    }
    return read ? { ...fixed, Authorization: `Bearer ${read.token}` } : fixed;
  };
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
