// Charts from a real Helm repository on loopback (charts from `helm package`, index from
// `helm repo index`), fetched by the real helm binary.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices } from '../../../local/services.ts';
import { S3ChartArchiveStore } from '../../../shared/source/chart/archive-store.ts';
import { isBadInput } from '../../../shared/errors/bad-input.ts';
import type { ChartRequest } from '../../../shared/source/chart/chart-fetcher.ts';
import { StaticChartCredentials } from '../../../shared/source/chart/credentials.ts';
import {
  ChartAuthError,
  ChartDigestMismatchError,
  ChartNotFoundError,
  ChartRepositoryUnreachableError,
  ChartVersionNotFoundError,
  InvalidChartRequestError,
} from '../../../shared/source/chart/errors.ts';
import { RepositoryChartFetcher, type RepositoryChartFetcherOptions } from '../../../shared/source/chart/repository-fetcher.ts';
import { s3ClientConfig } from '../../support/aws.ts';
import { startHelmRepo, type HelmRepo } from '../../support/helm-repo.ts';
import { failure } from '../../support/failure.ts';

const VERSIONS = ['1.2.0', '1.2.3', '1.3.0', '4.0.0', '4.1.2', '5.0.0', '5.1.0-rc.1'];
const FAST_RETRY = { attempts: 3, delayMs: 10 };

let repo: HelmRepo;
const folders: string[] = [];

async function fetcher(options: Partial<RepositoryChartFetcherOptions> = {}): Promise<RepositoryChartFetcher> {
  const cacheDir = options.cacheDir ?? (await mkdtemp(join(tmpdir(), 'driftless-chart-cache-')));
  folders.push(cacheDir);
  return new RepositoryChartFetcher({ allowLoopback: true, retry: FAST_RETRY, ...options, cacheDir });
}

beforeAll(async () => {
  repo = await startHelmRepo({ charts: [...VERSIONS.map((version) => ({ name: 'demo', version })), { name: 'other', version: '0.1.0' }] });
});

afterAll(async () => {
  await repo.close();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

describe('resolving targetRevision against index.yaml', () => {
  const cases: Array<[string, string]> = [
    ['1.2.3', '1.2.3'],
    ['1.2.*', '1.2.3'],
    ['>=4.0.0 <5', '4.1.2'],
    ['*', '5.0.0'],
    ['*-0', '5.1.0-rc.1'],
    ['>=5.1.0-0', '5.1.0-rc.1'],
  ];
  it.each(cases)('%s → %s, unpacked with its Chart.yaml at the top', async (targetRevision, version) => {
    const charts = await fetcher();
    const fetched = await charts.fetch({ repoURL: repo.url, chart: 'demo', targetRevision });
    expect(fetched.version).toBe(version);
    expect(fetched.chart).toBe('demo');
    expect(fetched.digest).toBe(await repo.digest('demo', version));
    expect(await readFile(join(fetched.dir, 'Chart.yaml'), 'utf8')).toContain(`version: ${version}`);
    expect(await readFile(join(fetched.dir, 'templates', 'configmap.yaml'), 'utf8')).toContain('ConfigMap');
    await fetched.dispose();
  });

  it('does not take a pre-release for a constraint that names none', async () => {
    const fetched = await (await fetcher()).fetch({ repoURL: repo.url, chart: 'demo', targetRevision: '>=5.0.0' });
    expect(fetched.version).toBe('5.0.0');
  });

  it('reads a repoURL written without its trailing slash', async () => {
    const fetched = await (await fetcher()).fetch({ repoURL: repo.url.replace(/\/$/, ''), chart: 'other', targetRevision: '0.1.0' });
    expect(fetched.version).toBe('0.1.0');
  });

  it('downloads archives listed by URLs relative to the repository', async () => {
    const relative = await startHelmRepo({ charts: [{ name: 'rel', version: '2.0.0' }], relativeUrls: true, prefix: 'deep/path' });
    try {
      const fetched = await (await fetcher()).fetch({ repoURL: relative.url, chart: 'rel', targetRevision: '2.*' });
      expect(fetched.version).toBe('2.0.0');
      expect(relative.requests).toEqual(['/deep/path/index.yaml', '/deep/path/rel-2.0.0.tgz']);
    } finally {
      await relative.close();
    }
  });
});

describe('errors', () => {
  it('names a missing chart, as bad input', async () => {
    const error = await failure((await fetcher()).fetch({ repoURL: repo.url, chart: 'demo-missing', targetRevision: '1.0.0' }));
    expect(error).toBeInstanceOf(ChartNotFoundError);
    expect(error.message).toContain('chart "demo-missing" not found in');
    expect(error.message).toContain('did you mean demo');
    expect(isBadInput(error)).toBe(true);
  });

  it('names a missing version and the nearest available ones (five neighbours in version order)', async () => {
    const error = await failure((await fetcher()).fetch({ repoURL: repo.url, chart: 'demo', targetRevision: '1.2.4' }));
    expect(error).toBeInstanceOf(ChartVersionNotFoundError);
    expect(error.message).toMatch(/has no version "1\.2\.4"; nearest available: 4\.1\.2, 4\.0\.0, 1\.3\.0, 1\.2\.3, 1\.2\.0$/);
    expect(isBadInput(error)).toBe(true);
  });

  it('names a constraint nothing matches', async () => {
    const error = await failure((await fetcher()).fetch({ repoURL: repo.url, chart: 'demo', targetRevision: '>=6.0.0' }));
    expect(error).toBeInstanceOf(ChartVersionNotFoundError);
    expect(error.message).toContain('has no version matching ">=6.0.0"; nearest available: 5.0.0, 4.1.2');
  });

  it('refuses an archive whose sha256 is not the index digest, and caches nothing', async () => {
    const tampered = await startHelmRepo({ charts: [{ name: 'demo', version: '1.0.0' }] });
    try {
      await tampered.editIndex((index) => {
        index.entries.demo[0].digest = '0'.repeat(64);
      });
      const charts = await fetcher();
      const error = await failure(charts.fetch({ repoURL: tampered.url, chart: 'demo', targetRevision: '1.0.0' }));
      expect(error).toBeInstanceOf(ChartDigestMismatchError);
      expect(error.message).toContain(`index.yaml says ${'0'.repeat(64)}`);
      expect(isBadInput(error)).toBe(true);
      // Nothing was kept: the next try downloads again.
      const before = tampered.requests.length;
      await failure(charts.fetch({ repoURL: tampered.url, chart: 'demo', targetRevision: '1.0.0' }));
      expect(tampered.requests.slice(before)).toEqual(['/charts/demo-1.0.0.tgz']);
    } finally {
      await tampered.close();
    }
  });

  it('refuses an index that sends the download to the metadata service, to another scheme or to credentials in a URL', async () => {
    const hostile = await startHelmRepo({ charts: [{ name: 'demo', version: '1.0.0' }] });
    try {
      const urls: Array<[string, RegExp]> = [
        ['https://169.254.169.254/latest/meta-data/demo-1.0.0.tgz', /link-local address/],
        ['http://charts.example.com/demo-1.0.0.tgz', /is http:\/\/; chart archives are downloaded over https/],
        ['file:///etc/passwd', /is file:\/\/; chart archives are downloaded over https/],
        ['https://user:pw@charts.example.com/demo-1.0.0.tgz', /carries credentials/],
      ];
      for (const [url, message] of urls) {
        await hostile.editIndex((index) => {
          index.entries.demo[0].urls = [url];
        });
        const error = await failure((await fetcher()).fetch({ repoURL: hostile.url, chart: 'demo', targetRevision: '1.0.0' }));
        expect(error, url).toBeInstanceOf(InvalidChartRequestError);
        expect(error.message, url).toMatch(message);
      }
      expect(hostile.requests.filter((path) => !path.endsWith('index.yaml'))).toEqual([]);
    } finally {
      await hostile.close();
    }
  });

  it('retries a repository answering 503, then calls it unreachable (not bad input)', async () => {
    const flaky = await startHelmRepo({ charts: [{ name: 'demo', version: '1.0.0' }] });
    try {
      flaky.failNext(10);
      const error = await failure((await fetcher()).fetch({ repoURL: flaky.url, chart: 'demo', targetRevision: '1.0.0' }));
      expect(error).toBeInstanceOf(ChartRepositoryUnreachableError);
      expect(error.message).toContain('HTTP 503 (tried 3 times)');
      expect(isBadInput(error)).toBe(false);
      expect(flaky.requests).toEqual(['/charts/index.yaml', '/charts/index.yaml', '/charts/index.yaml']);
      // Two failures are absorbed by the retries.
      flaky.failNext(2);
      const fetched = await (await fetcher()).fetch({ repoURL: flaky.url, chart: 'demo', targetRevision: '1.0.0' });
      expect(fetched.version).toBe('1.0.0');
    } finally {
      await flaky.close();
    }
  });

  it('calls a repository nobody listens at unreachable, not bad input', async () => {
    const gone = await startHelmRepo({ charts: [{ name: 'demo', version: '1.0.0' }] });
    const url = gone.url;
    await gone.close();
    const error = await failure((await fetcher()).fetch({ repoURL: url, chart: 'demo', targetRevision: '1.0.0' }));
    expect(error).toBeInstanceOf(ChartRepositoryUnreachableError);
    expect(error.message).toContain('ECONNREFUSED');
    expect(isBadInput(error)).toBe(false);
  });

  it('refuses repository URLs that are not http(s) or oci, loopback outside local mode, and bad chart names', async () => {
    const charts = await fetcher();
    const strict = await fetcher({ allowLoopback: false });
    const refusals: Array<[RepositoryChartFetcher, ChartRequest, RegExp]> = [
      [
        charts,
        { repoURL: 'git@github.com:org/charts.git', chart: 'demo', targetRevision: '1.0.0' },
        /neither an http\(s\) Helm repository URL nor an OCI registry/,
      ],
      [charts, { repoURL: 'file:///etc', chart: 'demo', targetRevision: '1.0.0' }, /uses "file:\/\/"/],
      [charts, { repoURL: 'https://user:pw@charts.example.com', chart: 'demo', targetRevision: '1.0.0' }, /carries credentials/],
      [charts, { repoURL: 'https://charts.example.com/?x=1', chart: 'demo', targetRevision: '1.0.0' }, /query or fragment/],
      [charts, { repoURL: 'https://charts.example.com/a/../b', chart: 'demo', targetRevision: '1.0.0' }, /"\." or "\.\." path segment/],
      [charts, { repoURL: 'http://charts.example.com', chart: 'demo', targetRevision: '1.0.0' }, /uses http:\/\//],
      [charts, { repoURL: 'https://169.254.169.254/latest', chart: 'demo', targetRevision: '1.0.0' }, /link-local address/],
      [charts, { repoURL: 'https://[::ffff:169.254.169.254]/', chart: 'demo', targetRevision: '1.0.0' }, /link-local address/],
      [strict, { repoURL: repo.url, chart: 'demo', targetRevision: '1.0.0' }, /uses http:\/\//],
      [strict, { repoURL: 'https://127.0.0.1/charts', chart: 'demo', targetRevision: '1.0.0' }, /loopback address/],
      [strict, { repoURL: 'https://localhost/charts', chart: 'demo', targetRevision: '1.0.0' }, /loopback address/],
      [strict, { repoURL: 'oci://127.0.0.1:5000/charts', chart: 'demo', targetRevision: '1.0.0' }, /loopback address/],
      [charts, { repoURL: repo.url, chart: '../demo', targetRevision: '1.0.0' }, /contains "\/"/],
      [charts, { repoURL: repo.url, chart: '--set-file=x', targetRevision: '1.0.0' }, /starts with "-"/],
      [charts, { repoURL: repo.url, chart: 'a..b', targetRevision: '1.0.0' }, /no "\.\."/],
      [charts, { repoURL: repo.url, chart: 'demo', targetRevision: '--devel' }, /starts with "-"/],
      [charts, { repoURL: repo.url, chart: 'demo', targetRevision: '' }, /is empty/],
      [charts, { repoURL: repo.url, chart: 'demo', targetRevision: '1.0.0;rm' }, /not a version, a version constraint or a tag/],
    ];
    for (const [subject, request, message] of refusals) {
      const error = await failure(subject.fetch(request));
      expect(error, JSON.stringify(request)).toBeInstanceOf(InvalidChartRequestError);
      expect(error.message, JSON.stringify(request)).toMatch(message);
      expect(isBadInput(error)).toBe(true);
    }
    expect(repo.requests.filter((path) => path.includes('..'))).toEqual([]);
  });

  it('refuses a host name that resolves to the metadata service or to loopback (every address is checked)', async () => {
    const resolver = (host: string): Promise<string[]> =>
      Promise.resolve(host === 'metadata.charts.test' ? ['203.0.113.7', '169.254.169.254'] : host === 'loop.charts.test' ? ['::1'] : ['203.0.113.7']);
    const strict = await fetcher({ allowLoopback: false, resolveHost: resolver });
    const metadata = await failure(strict.fetch({ repoURL: 'https://metadata.charts.test/stable', chart: 'demo', targetRevision: '1.0.0' }));
    expect(metadata).toBeInstanceOf(InvalidChartRequestError);
    expect(metadata.message).toContain('host metadata.charts.test is a link-local address (the instance metadata service lives there) (169.254.169.254)');
    const loop = await failure(strict.fetch({ repoURL: 'oci://loop.charts.test/charts', chart: 'demo', targetRevision: '1.0.0' }));
    expect(loop.message).toContain('host loop.charts.test is a loopback address (::1)');
  });
});

describe('a private repository (basic auth)', () => {
  const PASSWORD = 'hunter2-helm-repo-password';
  let privateRepo: HelmRepo;

  beforeAll(async () => {
    privateRepo = await startHelmRepo({ charts: [{ name: 'secret-app', version: '3.1.4' }], basicAuth: { username: 'reader', password: PASSWORD } });
  });
  afterAll(() => privateRepo.close());

  it('is read with the credentials of an Argo CD repository secret matched by URL prefix', async () => {
    const origin = new URL(privateRepo.url).origin;
    const credentials = StaticChartCredentials.parse(
      JSON.stringify([
        { url: 'https://unrelated.example.com', type: 'helm', username: 'x', password: 'y' },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repo-creds' } },
          stringData: { url: origin, type: 'helm', username: 'reader', password: PASSWORD },
        },
      ]),
    );
    const fetched = await (await fetcher({ credentials })).fetch({ repoURL: privateRepo.url, chart: 'secret-app', targetRevision: '3.*' });
    expect(fetched.version).toBe('3.1.4');
    // helm sent the credentials for the archive too: the server refuses anything else.
    expect(privateRepo.requests).toContain('/charts/secret-app-3.1.4.tgz');
  });

  it('without credentials: bad input that says what to configure', async () => {
    const error = await failure((await fetcher()).fetch({ repoURL: privateRepo.url, chart: 'secret-app', targetRevision: '3.1.4' }));
    expect(error).toBeInstanceOf(ChartAuthError);
    expect(error.message).toMatch(/asks for credentials \(HTTP 401\) and none are configured/);
    expect(isBadInput(error)).toBe(true);
  });

  it('never shows the password, whatever fails', async () => {
    const wrong = StaticChartCredentials.parse(JSON.stringify([{ url: privateRepo.url, username: 'reader', password: `${PASSWORD}-wrong` }]));
    const right = StaticChartCredentials.parse(JSON.stringify([{ url: privateRepo.url, username: 'reader', password: PASSWORD }]));
    const failures = [
      await failure((await fetcher({ credentials: wrong })).fetch({ repoURL: privateRepo.url, chart: 'secret-app', targetRevision: '3.1.4' })),
      await failure((await fetcher({ credentials: right })).fetch({ repoURL: privateRepo.url, chart: 'nothing', targetRevision: '3.1.4' })),
      await failure((await fetcher({ credentials: right })).fetch({ repoURL: privateRepo.url, chart: 'secret-app', targetRevision: '9.9.9' })),
    ];
    expect(failures[0]).toBeInstanceOf(ChartAuthError);
    expect(failures[0].message).toContain('refused the configured credentials');
    const basic = Buffer.from(`reader:${PASSWORD}`).toString('base64');
    for (const error of failures) {
      const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error.cause)}`;
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain(basic);
    }
  });
});

describe('the cache', () => {
  it('fetches a version once: a second fetch, and another fetcher on the same folder, ask the repository nothing', async () => {
    const counted = await startHelmRepo({
      charts: [
        { name: 'demo', version: '1.0.0' },
        { name: 'demo', version: '1.0.1' },
      ],
    });
    try {
      const cacheDir = await mkdtemp(join(tmpdir(), 'driftless-chart-cache-'));
      folders.push(cacheDir);
      const first = await (await fetcher({ cacheDir })).fetch({ repoURL: counted.url, chart: 'demo', targetRevision: '1.0.1' });
      expect(counted.requests).toEqual(['/charts/index.yaml', '/charts/demo-1.0.1.tgz']);
      // The same process again, by pin and by a constraint (the index is kept for 60 s).
      const charts = await fetcher({ cacheDir });
      const again = await charts.fetch({ repoURL: counted.url, chart: 'demo', targetRevision: '1.0.1' });
      expect(again.dir).toBe(first.dir);
      expect(counted.requests).toHaveLength(2);
      await charts.fetch({ repoURL: counted.url, chart: 'demo', targetRevision: '1.0.*' });
      await charts.fetch({ repoURL: counted.url, chart: 'demo', targetRevision: '1.0.*' });
      expect(counted.requests).toEqual(['/charts/index.yaml', '/charts/demo-1.0.1.tgz', '/charts/index.yaml']);
      // Concurrent fetches of one new version share one download.
      const fresh = await fetcher();
      const both = await Promise.all([1, 2, 3].map(() => fresh.fetch({ repoURL: counted.url, chart: 'demo', targetRevision: '1.0.0' })));
      expect(new Set(both.map((chart) => chart.dir)).size).toBe(1);
      expect(counted.requests.filter((path) => path === '/charts/demo-1.0.0.tgz')).toHaveLength(1);
    } finally {
      await counted.close();
    }
  });

  it('asks for index.yaml again once its 60 s are over', async () => {
    const counted = await startHelmRepo({ charts: [{ name: 'demo', version: '1.0.0' }] });
    try {
      let now = 1_000_000;
      const charts = await fetcher({ now: () => now });
      await charts.fetch({ repoURL: counted.url, chart: 'demo', targetRevision: '1.*' });
      now += 59_000;
      await charts.fetch({ repoURL: counted.url, chart: 'demo', targetRevision: '1.*' });
      expect(counted.requests.filter((path) => path.endsWith('index.yaml'))).toHaveLength(1);
      now += 2_000;
      await charts.fetch({ repoURL: counted.url, chart: 'demo', targetRevision: '1.*' });
      expect(counted.requests.filter((path) => path.endsWith('index.yaml'))).toHaveLength(2);
    } finally {
      await counted.close();
    }
  });

  it('shares verified archives through S3 (charts/ in the render bucket): a worker with an empty disk asks the repository nothing', async () => {
    const services = await startLocalServices();
    const counted = await startHelmRepo({ charts: [{ name: 'demo', version: '2.3.4' }] });
    const client = new S3Client(s3ClientConfig(services.env.AWS_ENDPOINT_URL_S3));
    try {
      const archives = new S3ChartArchiveStore({ client, bucket: services.env.RENDER_BUCKET });
      const first = await (await fetcher({ archives })).fetch({ repoURL: counted.url, chart: 'demo', targetRevision: '2.3.4' });
      expect(counted.requests).toEqual(['/charts/index.yaml', '/charts/demo-2.3.4.tgz']);
      const listed = await client.send(new ListObjectsV2Command({ Bucket: services.env.RENDER_BUCKET, Prefix: 'charts/' }));
      expect(listed.Contents?.map((object) => object.Key)).toEqual([expect.stringMatching(/^charts\/[0-9a-f]{32}\/demo\/2\.3\.4\.tgz$/)]);

      const other = await (await fetcher({ archives })).fetch({ repoURL: counted.url, chart: 'demo', targetRevision: '2.3.4' });
      expect(counted.requests).toHaveLength(2);
      expect(other.dir).not.toBe(first.dir);
      expect(other.digest).toBe(await counted.digest('demo', '2.3.4'));
      expect(await readFile(join(other.dir, 'Chart.yaml'), 'utf8')).toBe(await readFile(join(first.dir, 'Chart.yaml'), 'utf8'));
    } finally {
      client.destroy();
      await counted.close();
      await services.stop();
    }
  });
});
