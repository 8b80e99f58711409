import { EKSClient } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEks, describeEks, EksClusterError } from '../../shared/kube/eks.ts';
import { startAwsApi, startKubeEndpoint, type AwsApiDouble, type KubeEndpointDouble } from '../support/eks-api.ts';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'eks-test-secret-key' };
let aws: AwsApiDouble;
let apiServer: KubeEndpointDouble;
let eks: EKSClient;

beforeAll(async () => {
  aws = await startAwsApi();
  apiServer = await startKubeEndpoint();
  aws.clusters.set('prod-eu', { endpoint: apiServer.endpoint, caData: apiServer.caData });
  aws.clusters.set('fresh', { status: 'CREATING' });
  eks = new EKSClient({ region: 'eu-west-1', endpoint: aws.url, credentials: CREDENTIALS, maxAttempts: 1 });
});

afterAll(async () => {
  eks.destroy();
  await apiServer.close();
  await aws.close();
});

const describeCalls = (name: string) => aws.requests.filter((request) => request.method === 'GET' && request.path === `/clusters/${name}`);

describe('connectEks', () => {
  it('reaches the endpoint DescribeCluster gives, trusting its CA, with an EKS bearer token', async () => {
    const client = await connectEks({ clusterName: 'prod-eu', region: 'eu-west-1', eksClient: eks, credentials: CREDENTIALS });
    try {
      const version = await client.get<{ gitVersion: string }>('/version');
      expect(version.gitVersion).toBe('v1.34.0-eks');
      const authorization = String(apiServer.requests.at(-1)?.headers.authorization);
      expect(authorization.startsWith('Bearer k8s-aws-v1.')).toBe(true);
      const url = new URL(Buffer.from(authorization.slice('Bearer k8s-aws-v1.'.length), 'base64url').toString('utf8'));
      expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
      expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    } finally {
      client.close();
    }
  });

  it('describes each cluster once per container', async () => {
    aws.clusters.set('cached', { endpoint: apiServer.endpoint, caData: apiServer.caData });
    const clients = await Promise.all(
      [1, 2, 3].map(() => connectEks({ clusterName: 'cached', region: 'eu-west-1', eksClient: eks, credentials: CREDENTIALS })),
    );
    const later = await connectEks({ clusterName: 'cached', region: 'eu-west-1', eksClient: eks, credentials: CREDENTIALS });
    for (const client of [...clients, later]) {
      await client.get('/version');
      client.close();
    }
    expect(describeCalls('cached')).toHaveLength(1);
  });

  it('sends the same token until it needs refreshing', async () => {
    let now = Date.now();
    const client = await connectEks({ clusterName: 'prod-eu', region: 'eu-west-1', eksClient: eks, credentials: CREDENTIALS }, { now: () => new Date(now) });
    try {
      await client.get('/version');
      await client.get('/version');
      const [first, second] = apiServer.requests.slice(-2).map((request) => request.headers.authorization);
      expect(second).toBe(first);
      now += 11 * 60_000;
      await client.get('/version');
      expect(apiServer.requests.at(-1)?.headers.authorization).not.toBe(first);
    } finally {
      client.close();
    }
  });

  it('names a cluster that does not exist, and asks again next time', async () => {
    const target = { clusterName: 'ghost', region: 'eu-west-1', eksClient: eks, credentials: CREDENTIALS };
    const error = await describeEks(target).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EksClusterError);
    expect((error as Error).message).toBe('EKS cluster "ghost" in eu-west-1: not found (check the name, region and account)');
    await describeEks(target).catch(() => undefined);
    expect(describeCalls('ghost')).toHaveLength(2);
  });

  it('says a cluster without an endpoint is not ready', async () => {
    await expect(describeEks({ clusterName: 'fresh', region: 'eu-west-1', eksClient: eks })).rejects.toThrow(/has no API endpoint yet \(status CREATING\)/);
  });
});
