// One commit fetched for every worker: two fetchers with caches and temp folders of their own
// (as two worker processes) and one S3 bucket (fauxqs) between them. GitHub serves the
// commit's tarball once; the other worker reads the bucket's copy. A copy that is not what a
// worker stored, or a bucket that cannot be reached, falls back to GitHub with a warning.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { createGitHubClient } from '../../shared/github/client.ts';
import { sourceFetcher } from '../../shared/runtime/environment.ts';
import { GitHubTarballFetcher } from '../../shared/source/github-tarball.ts';
import { SharedCopies } from '../../shared/source/shared-copies.ts';
import { TreeCache } from '../../shared/source/tree-cache.ts';
import { S3SourceArchives } from '../../shared/storage/s3-source-archives.ts';
import { sourceArchiveKey } from '../../shared/storage/source-archive-key.ts';
import { countCommands, s3ClientConfig } from '../support/aws.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';
import { readTree } from './tree.ts';

const TOKEN = 'ghp_sharedFetchToken0123456789abcdefgh';
const REPO_URL = 'https://github.com/acme/shop.git';
const IDENTITY = 'github:github.com/acme/shop';

let services: LocalServices;
let s3: S3Client;
let bucket: string;
let github: GitHubApiDouble;
let repo: TestRepo;
let parent: string;
const caches: TreeCache[] = [];

beforeAll(async () => {
  services = await startLocalServices();
  s3 = new S3Client(s3ClientConfig(services.env.AWS_ENDPOINT_URL_S3));
  bucket = services.env.RENDER_BUCKET;
  repo = await createRepo();
  github = await startGitHubApi({ token: TOKEN });
  github.addRepo('acme', 'shop', repo.dir);
  parent = await mkdtemp(join(tmpdir(), 'shared-fetch-'));
});

afterAll(async () => {
  await Promise.all(caches.map((cache) => cache.clear()));
  s3.destroy();
  await Promise.all([services.stop(), github.close(), repo.remove()]);
  await rm(parent, { recursive: true, force: true });
});

interface Worker {
  fetcher: GitHubTarballFetcher;
  warnings: Array<{ message: string; fields: Record<string, unknown> }>;
}

/** A worker process's fetcher: its own tree cache in its own temp folder, the shared bucket through `client`. */
async function worker(client: S3Client = s3, maxBytes?: number): Promise<Worker> {
  const cache = new TreeCache({ tmpDir: await mkdtemp(join(parent, 'worker-')) });
  caches.push(cache);
  const warnings: Worker['warnings'] = [];
  const shared = new SharedCopies(new S3SourceArchives({ client, bucket, maxBytes }), {
    warn: (message, fields) => warnings.push({ message, fields }),
  });
  const octokit = createGitHubClient({ token: TOKEN }, { baseUrl: github.url });
  return { fetcher: new GitHubTarballFetcher(octokit, { cache, shared }), warnings };
}

function tarballRequests(since: number, sha: string): number {
  return github.requests.slice(since).filter((request) => request.method === 'GET' && request.path === `/repos/acme/shop/tarball/${sha}`).length;
}

function apiRequests(since: number): string[] {
  return github.requests
    .slice(since)
    .filter((request) => !request.path.startsWith('/_codeload/'))
    .map((request) => `${request.method} ${request.path}`);
}

let previous: string | undefined;
/** A commit holding only apps/<name>/deploy.yaml and README.md. */
async function commit(name: string): Promise<string> {
  const gone = previous ? { [`apps/${previous}/deploy.yaml`]: null } : {};
  previous = name;
  return repo.commit({ ...gone, [`apps/${name}/deploy.yaml`]: `name: ${name}\n`, 'README.md': `${name}\n` });
}

/** A gzipped tar of one regular file at `path` (written byte by byte: no tar library would write a `..`). */
function tarOf(path: string, content: string): Buffer {
  const body = Buffer.from(content);
  const header = Buffer.alloc(512);
  header.write(path, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  return gzipSync(Buffer.concat([header, body, padding, Buffer.alloc(1024)]));
}

async function putObject(key: string, body: Buffer, sha256: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, Metadata: { sha256 } }));
}

describe('a commit fetched by two workers', () => {
  it('is downloaded from GitHub once; the second worker unpacks the bucket’s copy into the same tree', async () => {
    const sha = await commit('web');
    const [first, second] = [await worker(), await worker()];
    const before = github.requests.length;
    const a = await first.fetcher.fetch({ repoURL: REPO_URL, revision: sha });
    const b = await second.fetcher.fetch({ repoURL: REPO_URL, revision: sha });
    expect(apiRequests(before)).toEqual([`GET /repos/acme/shop/tarball/${sha}`]);
    expect(b.root).not.toBe(a.root);
    expect(await readTree(b.root)).toEqual(await readTree(a.root));
    expect(await readTree(b.root)).toEqual({ 'apps/web/deploy.yaml': 'name: web\n', 'README.md': 'web\n' });
    expect([...first.warnings, ...second.warnings]).toEqual([]);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it('stores it under a hash of the repository and the full sha, never a path from Git', async () => {
    const sha = await commit('keyed');
    const { fetcher } = await worker();
    await (await fetcher.fetch({ repoURL: REPO_URL, revision: sha })).dispose();
    const repoHash = createHash('sha256').update(IDENTITY).digest('hex').slice(0, 32);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `sources/v1/${repoHash}/${sha}` }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual([`sources/v1/${repoHash}/${sha}.tar.gz`]);
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `sources/v1/${repoHash}/${sha}.tar.gz` }));
    const bytes = Buffer.from(await stored.Body!.transformToByteArray());
    expect(stored.Metadata?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('is fetched once by two concurrent jobs of one worker: one download, one unpack, one tree', async () => {
    const sha = await commit('concurrent');
    const client = new S3Client(s3ClientConfig(services.env.AWS_ENDPOINT_URL_S3));
    const counts = countCommands(client);
    const { fetcher } = await worker(client);
    const before = github.requests.length;
    const [a, b] = await Promise.all([fetcher.fetch({ repoURL: REPO_URL, revision: sha }), fetcher.fetch({ repoURL: REPO_URL, revision: sha })]);
    expect(a.root).toBe(b.root);
    expect(tarballRequests(before, sha)).toBe(1);
    expect(Object.fromEntries(counts)).toEqual({ GetObjectCommand: 1, PutObjectCommand: 1 });
    await Promise.all([a.dispose(), b.dispose()]);
    client.destroy();
  });

  it('resolved from a branch by two concurrent jobs of one worker: one resolution, one download', async () => {
    const sha = await commit('branch');
    const { fetcher } = await worker();
    const before = github.requests.length;
    const [a, b] = await Promise.all([fetcher.fetch({ repoURL: REPO_URL, revision: 'main' }), fetcher.fetch({ repoURL: REPO_URL, revision: 'main' })]);
    expect([a.sha, b.sha]).toEqual([sha, sha]);
    expect(apiRequests(before)).toEqual(['GET /repos/acme/shop/commits/main', `GET /repos/acme/shop/tarball/${sha}`]);
    // Only calls in flight share an answer: a branch moves, so a later fetch asks again.
    await (await fetcher.fetch({ repoURL: REPO_URL, revision: 'main' })).dispose();
    expect(apiRequests(before)).toEqual(['GET /repos/acme/shop/commits/main', `GET /repos/acme/shop/tarball/${sha}`, 'GET /repos/acme/shop/commits/main']);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it('is not shared when its archive is larger than the bound: each worker downloads it', async () => {
    const sha = await commit('large');
    const [first, second] = [await worker(s3, 64), await worker(s3, 64)];
    const before = github.requests.length;
    await (await first.fetcher.fetch({ repoURL: REPO_URL, revision: sha })).dispose();
    await (await second.fetcher.fetch({ repoURL: REPO_URL, revision: sha })).dispose();
    expect(tarballRequests(before, sha)).toBe(2);
  });
});

describe('a shared copy that is not what a worker stored', () => {
  it('is refused when its content does not match its hash, fetched from GitHub, and replaced', async () => {
    const sha = await commit('altered');
    const key = sourceArchiveKey(IDENTITY, sha);
    const forged = tarOf('top/apps/altered/deploy.yaml', 'name: forged\n');
    await putObject(key, forged, createHash('sha256').update('something else').digest('hex'));
    const first = await worker();
    const before = github.requests.length;
    const tree = await first.fetcher.fetch({ repoURL: REPO_URL, revision: sha });
    expect(await readTree(tree.root)).toEqual({ 'apps/altered/deploy.yaml': 'name: altered\n', 'README.md': 'altered\n' });
    expect(tarballRequests(before, sha)).toBe(1);
    expect(first.warnings).toEqual([
      expect.objectContaining({
        message: 'shared source copy refused; fetching from the repository instead',
        fields: expect.objectContaining({ key, error: expect.stringMatching(/does not match the hash/) }),
      }),
    ]);
    // The download replaced it: the next worker reads a good copy, not GitHub.
    const second = await worker();
    const again = await second.fetcher.fetch({ repoURL: REPO_URL, revision: sha });
    expect(tarballRequests(before, sha)).toBe(1);
    expect(await readTree(again.root)).toEqual(await readTree(tree.root));
    await Promise.all([tree.dispose(), again.dispose()]);
  });

  it('is refused when it would unpack outside its folder, even with a matching hash, and leaves nothing behind', async () => {
    const sha = await commit('escape');
    const key = sourceArchiveKey(IDENTITY, sha);
    const forged = tarOf('top/../../escaped.yaml', 'kind: Secret\n');
    await putObject(key, forged, createHash('sha256').update(forged).digest('hex'));
    const { fetcher, warnings } = await worker();
    const before = github.requests.length;
    const tree = await fetcher.fetch({ repoURL: REPO_URL, revision: sha });
    expect(await readTree(tree.root)).toEqual({ 'apps/escape/deploy.yaml': 'name: escape\n', 'README.md': 'escape\n' });
    expect(tarballRequests(before, sha)).toBe(1);
    expect(warnings).toEqual([expect.objectContaining({ message: 'shared source copy refused on unpacking; fetching from the repository instead' })]);
    const everywhere = await readdir(parent, { recursive: true });
    expect(everywhere.filter((path) => path.endsWith('escaped.yaml'))).toEqual([]);
    await tree.dispose();
  });
});

describe('a bucket that cannot be reached', () => {
  it('leaves the fetch to GitHub, with a warning for the read and one for the write', async () => {
    const sha = await commit('down');
    // Nothing listens on port 9 here (discard): every S3 call fails to connect.
    const down = new S3Client({ ...s3ClientConfig('http://127.0.0.1:9'), maxAttempts: 1 });
    const { fetcher, warnings } = await worker(down);
    const before = github.requests.length;
    const tree = await fetcher.fetch({ repoURL: REPO_URL, revision: sha });
    expect(await readTree(tree.root)).toEqual({ 'apps/down/deploy.yaml': 'name: down\n', 'README.md': 'down\n' });
    expect(tarballRequests(before, sha)).toBe(1);
    expect(warnings.map((warning) => warning.message)).toEqual([
      'shared source copy unreadable; fetching from the repository instead',
      'shared source copy not stored; other workers will fetch it from the repository',
    ]);
    expect(JSON.stringify(warnings)).not.toContain(TOKEN);
    await tree.dispose();
    down.destroy();
  });
});

describe('the worker’s fetcher (sourceFetcher)', () => {
  it('shares GitHub commits through RENDER_BUCKET: two workers built from one environment download a commit once', async () => {
    const sha = await commit('environment');
    const saved = { ...process.env };
    // The S3 client finds fauxqs as a worker in local mode does: AWS_ENDPOINT_URL_S3 and keys in the environment.
    Object.assign(process.env, services.env);
    try {
      const octokit = () => createGitHubClient({ token: TOKEN }, { baseUrl: github.url });
      const [first, second] = [sourceFetcher(octokit(), services.env), sourceFetcher(octokit(), services.env)];
      const before = github.requests.length;
      const a = await first.fetch({ repoURL: REPO_URL, revision: sha });
      const b = await second.fetch({ repoURL: REPO_URL, revision: sha });
      expect(tarballRequests(before, sha)).toBe(1);
      expect(await readTree(b.root)).toEqual(await readTree(a.root));
      await Promise.all([a.dispose(), b.dispose()]);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});
