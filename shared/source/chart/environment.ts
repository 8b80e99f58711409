// The chart fetcher a worker builds from its environment, once per cold start:
// - CHART_CACHE_DIR: where unpacked charts are kept (default: <tmp>/driftless-charts; local mode
//   sets its state folder);
// - RENDER_BUCKET: verified archives are shared through it, under charts/;
// - CHART_CREDENTIALS_SECRET_ARN (AWS) or CHART_CREDENTIALS (JSON, local mode): Argo CD-shaped
//   repository secrets (credentials.ts);
// - CHART_LOOPBACK=allow: repositories on loopback, over http there (local mode; never in AWS).
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3ChartArchiveStore } from './archive-store.ts';
import { CachedChartCredentials, ChartCredentialsError, StaticChartCredentials, type ChartCredentialsSource } from './credentials.ts';
import { RepositoryChartFetcher } from './repository-fetcher.ts';

export type ChartEnvironment = Record<string, string | undefined>;

export interface ChartClients {
  s3?: S3Client;
  secretsManager?: SecretsManagerClient;
}

export function chartFetcherFromEnv(env: ChartEnvironment, clients: ChartClients = {}): RepositoryChartFetcher {
  const bucket = env.RENDER_BUCKET;
  return new RepositoryChartFetcher({
    cacheDir: env.CHART_CACHE_DIR || join(tmpdir(), 'driftless-charts'),
    allowLoopback: env.CHART_LOOPBACK === 'allow',
    credentials: chartCredentialsFromEnv(env, clients),
    archives: bucket
      ? new S3ChartArchiveStore({ client: clients.s3 ?? new S3Client({ forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3) }), bucket })
      : undefined,
  });
}

export function chartCredentialsFromEnv(env: ChartEnvironment, clients: ChartClients = {}): ChartCredentialsSource | undefined {
  const arn = env.CHART_CREDENTIALS_SECRET_ARN;
  if (arn) {
    const client = clients.secretsManager ?? new SecretsManagerClient({});
    return new CachedChartCredentials(async () => {
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
      if (!SecretString) throw new ChartCredentialsError(`secret ${arn} has no string value`);
      return SecretString;
    });
  }
  if (env.CHART_CREDENTIALS) return StaticChartCredentials.parse(env.CHART_CREDENTIALS);
  return undefined;
}
