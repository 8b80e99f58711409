// Charts from a real OCI registry (Debian's docker-registry on loopback), pushed and pulled
// with the real helm binary.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBadInput } from '../../../shared/errors/bad-input.ts';
import { chartFetcherFromEnv } from '../../../shared/source/chart/environment.ts';
import { ChartAuthError, ChartNotFoundError, ChartVersionNotFoundError } from '../../../shared/source/chart/errors.ts';
import { RepositoryChartFetcher } from '../../../shared/source/chart/repository-fetcher.ts';
import { awsClientConfig } from '../../support/aws.ts';
import { startOciRegistry, type OciRegistry } from '../../support/oci-registry.ts';
import { startSecretsManagerDouble, type SecretsManagerDouble } from './secrets-manager-double.ts';
import { failure } from '../../support/failure.ts';

const folders: string[] = [];

async function cacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-oci-cache-'));
  folders.push(dir);
  return dir;
}

async function fetcher(): Promise<RepositoryChartFetcher> {
  return new RepositoryChartFetcher({ cacheDir: await cacheDir(), allowLoopback: true, retry: { attempts: 2, delayMs: 10 } });
}

afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

describe('a public registry', () => {
  let registry: OciRegistry;

  beforeAll(async () => {
    registry = await startOciRegistry();
    await registry.push(
      'org/charts',
      ['1.0.0', '1.1.0', '1.1.5', '2.0.0-rc.1'].map((version) => ({ name: 'podinfo', version })),
    );
  });
  afterAll(() => registry.close());

  it('pulls an exact version from oci://host/path, recording the manifest digest', async () => {
    const fetched = await (await fetcher()).fetch({ repoURL: `oci://${registry.host}/org/charts`, chart: 'podinfo', targetRevision: '1.1.0' });
    expect(fetched.version).toBe('1.1.0');
    expect(fetched.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await readFile(join(fetched.dir, 'Chart.yaml'), 'utf8')).toContain('version: 1.1.0');
  });

  it('resolves a constraint against the tags list, from a bare host/path repoURL', async () => {
    const charts = await fetcher();
    expect((await charts.fetch({ repoURL: `${registry.host}/org/charts`, chart: 'podinfo', targetRevision: '1.1.*' })).version).toBe('1.1.5');
    expect((await charts.fetch({ repoURL: `${registry.host}/org/charts/`, chart: 'podinfo', targetRevision: '>=1.0.0 <2' })).version).toBe('1.1.5');
    expect((await charts.fetch({ repoURL: `oci://${registry.host}/org/charts`, chart: 'podinfo', targetRevision: '*-0' })).version).toBe('2.0.0-rc.1');
  });

  it('names a missing version with the nearest tags, and a missing chart, as bad input', async () => {
    const charts = await fetcher();
    const version = await failure(charts.fetch({ repoURL: `oci://${registry.host}/org/charts`, chart: 'podinfo', targetRevision: '1.2.0' }));
    expect(version).toBeInstanceOf(ChartVersionNotFoundError);
    expect(version.message).toContain('has no version "1.2.0"; nearest available: 1.1.5, 1.1.0, 1.0.0');
    const constraint = await failure(charts.fetch({ repoURL: `oci://${registry.host}/org/charts`, chart: 'podinfo', targetRevision: '3.x' }));
    expect(constraint).toBeInstanceOf(ChartVersionNotFoundError);
    const chart = await failure(charts.fetch({ repoURL: `oci://${registry.host}/org/charts`, chart: 'nginx', targetRevision: '1.0.0' }));
    expect(chart).toBeInstanceOf(ChartNotFoundError);
    const chartByConstraint = await failure(charts.fetch({ repoURL: `oci://${registry.host}/org/charts`, chart: 'nginx', targetRevision: '1.*' }));
    expect(chartByConstraint).toBeInstanceOf(ChartNotFoundError);
    for (const error of [version, constraint, chart, chartByConstraint]) expect(isBadInput(error)).toBe(true);
  });

  it('serves a pulled version from the cache once the registry is gone', async () => {
    const own = await startOciRegistry();
    await own.push('charts', [{ name: 'cached', version: '0.3.0' }]);
    const dir = await cacheDir();
    const first = new RepositoryChartFetcher({ cacheDir: dir, allowLoopback: true });
    await first.fetch({ repoURL: `oci://${own.host}/charts`, chart: 'cached', targetRevision: '0.3.0' });
    await own.close();
    const later = new RepositoryChartFetcher({ cacheDir: dir, allowLoopback: true, retry: { attempts: 1, delayMs: 0 } });
    const fetched = await later.fetch({ repoURL: `oci://${own.host}/charts`, chart: 'cached', targetRevision: '0.3.0' });
    expect(fetched.version).toBe('0.3.0');
    expect(fetched.digest).toMatch(/^sha256:/);
  });
});

describe('a private registry (htpasswd), credentials from Secrets Manager', () => {
  const PASSWORD = 'oci-registry-s3cret-value';
  const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:driftless/charts-AbCdEf';
  let registry: OciRegistry;
  let secrets: SecretsManagerDouble;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    registry = await startOciRegistry({ htpasswd: { username: 'puller', password: PASSWORD } });
    await registry.push('private', [
      { name: 'app', version: '0.1.0' },
      { name: 'app', version: '0.2.0' },
    ]);
    secrets = await startSecretsManagerDouble();
    client = new SecretsManagerClient(awsClientConfig(secrets.endpoint));
  });
  afterAll(async () => {
    client.destroy();
    await secrets.close();
    await registry.close();
  });

  async function worker(secret: unknown): Promise<RepositoryChartFetcher> {
    secrets.set(SECRET_ARN, JSON.stringify(secret));
    return chartFetcherFromEnv(
      { CHART_CREDENTIALS_SECRET_ARN: SECRET_ARN, CHART_CACHE_DIR: await cacheDir(), CHART_LOOPBACK: 'allow' },
      { secretsManager: client },
    );
  }

  it('pulls with an Argo CD repository secret (type helm, enableOCI, bare url), pin and constraint', async () => {
    const charts = await worker([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'private-oci', labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
        stringData: { name: 'private-oci', url: `${registry.host}/private`, type: 'helm', enableOCI: 'true', username: 'puller', password: PASSWORD },
      },
    ]);
    expect((await charts.fetch({ repoURL: `oci://${registry.host}/private`, chart: 'app', targetRevision: '0.1.0' })).version).toBe('0.1.0');
    expect((await charts.fetch({ repoURL: `${registry.host}/private`, chart: 'app', targetRevision: '0.*' })).version).toBe('0.2.0');
    // Read once, then kept: a thousand fetches do not read the secret a thousand times.
    expect(secrets.reads).toBe(1);
  });

  it('without matching credentials, or with a wrong password: bad input, and the password nowhere', async () => {
    // The secret is read when first needed: each worker fetches before the next secret is set.
    const failures: Error[] = [];
    const none = await worker([{ url: 'https://elsewhere.example.com', type: 'helm', username: 'puller', password: PASSWORD }]);
    failures.push(await failure(none.fetch({ repoURL: `oci://${registry.host}/private`, chart: 'app', targetRevision: '0.1.0' })));
    failures.push(await failure(none.fetch({ repoURL: `oci://${registry.host}/private`, chart: 'app', targetRevision: '0.*' })));
    const wrong = await worker([{ url: `oci://${registry.host}`, type: 'helm', enableOCI: 'true', username: 'puller', password: `${PASSWORD}-old` }]);
    failures.push(await failure(wrong.fetch({ repoURL: `oci://${registry.host}/private`, chart: 'app', targetRevision: '0.1.0' })));
    failures.push(await failure(wrong.fetch({ repoURL: `oci://${registry.host}/private`, chart: 'app', targetRevision: '0.*' })));
    for (const error of failures) {
      expect(error).toBeInstanceOf(ChartAuthError);
      expect(isBadInput(error)).toBe(true);
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error.cause)}`;
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain(Buffer.from(`puller:${PASSWORD}`).toString('base64'));
    }
  });
});
