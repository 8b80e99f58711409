// EKS cluster name + region → KubeClient: DescribeCluster for the endpoint and CA (once per
// cluster per Lambda container; both are fixed for a cluster's life), then connectEndpoint
// with tokens from a TokenCache. With a role, DescribeCluster also runs as that role, since
// a cross-account cluster is only visible from its own account. With a project's role
// (tokenRole), only the tokens change: they are signed as that role, assumed with the worker's
// own credentials, so the API server sees the team's access entry; the endpoint is the
// cluster's and is still described as before.

import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { KubeClient, KubeClientOptions } from './client.ts';
import { connectEndpoint } from './connect.ts';
import { EksClusterError } from './errors.ts';
import { eksCredentials, memo, TokenCache, type AssumedRole } from './eks-token.ts';

export interface EksTarget {
  clusterName: string;
  region: string;
  roleArn?: string;
  /** Explicit credentials; the SDK's default chain when absent. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  eksClient?: EKSClient;
  stsClient?: STSClient;
  /** A project's role for this cluster: the identity tokens are signed as, instead of roleArn's or the worker's. */
  tokenRole?: AssumedRole;
}

export interface ConnectEksOptions extends KubeClientOptions {
  now?: () => Date;
  /** See TOKEN_REFRESH_BEFORE_MS. */
  refreshBeforeMs?: number;
}

export interface EksEndpoint {
  server: string;
  caData: string;
}

export async function connectEks(target: EksTarget, options: ConnectEksOptions = {}): Promise<KubeClient> {
  const { server, caData } = await describeEks(target, options.now);
  const identity = target.tokenRole ?? { roleArn: target.roleArn, sessionName: undefined };
  const tokens = new TokenCache({ ...target, ...identity, now: options.now, refreshBeforeMs: options.refreshBeforeMs });
  return connectEndpoint({ server, caData, token: () => tokens.get() }, options);
}

/** Endpoint and CA of the cluster, from DescribeCluster or this container's cache. */
export async function describeEks(target: EksTarget, now?: () => Date): Promise<EksEndpoint> {
  const client = target.eksClient ?? defaultEksClient(target, now);
  return memo(described, client, target.clusterName, () => {
    const endpoint = describe(client, target);
    // A failure is not cached: the next sync asks again (the cluster may be ready by then).
    endpoint.catch(() => described.get(client)?.delete(target.clusterName));
    return endpoint;
  });
}

async function describe(client: EKSClient, { clusterName, region }: EksTarget): Promise<EksEndpoint> {
  let cluster;
  try {
    ({ cluster } = await client.send(new DescribeClusterCommand({ name: clusterName })));
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ResourceNotFoundException')
      throw new EksClusterError(clusterName, region, 'not found (check the name, region and account)', { cause: error });
    throw new EksClusterError(clusterName, region, `DescribeCluster failed: ${(error as Error).message}`, { cause: error });
  }
  const server = cluster?.endpoint;
  const caData = cluster?.certificateAuthority?.data;
  if (!server || !caData) throw new EksClusterError(clusterName, region, `has no API endpoint yet (status ${cluster?.status ?? 'unknown'})`);
  return { server, caData };
}

// Lambda containers are reused: one EKS client per credentials, region and role, and one
// answer per cluster and client.
const described = new WeakMap<EKSClient, Map<string, Promise<EksEndpoint>>>();
const eksClients = new WeakMap<object, Map<string, EKSClient>>();
const DEFAULT_CHAIN = {};

function defaultEksClient(target: EksTarget, now?: () => Date): EKSClient {
  return memo(eksClients, target.credentials ?? DEFAULT_CHAIN, `${target.region}|${target.roleArn ?? ''}`, () => {
    const credentials = target.roleArn ? eksCredentials({ ...target, now }) : target.credentials;
    return new EKSClient({ region: target.region, credentials });
  });
}

export { EksClusterError } from './errors.ts';
