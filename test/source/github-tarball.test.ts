import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../shared/github/client.ts';
import { GitHubApiError } from '../../shared/github/errors.ts';
import { RepositoryNotFoundError, RevisionNotFoundError, SourceTooLargeError } from '../../shared/source/errors.ts';
import { GitHubTarballFetcher } from '../../shared/source/github-tarball.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { TreeCache } from '../../shared/source/tree-cache.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';
import { readTree } from './tree.ts';

const TOKEN = 'ghp_tarballToken0123456789abcdefghij';
const REPO_URL = 'https://github.com/acme/shop.git';
let github: GitHubApiDouble;
let repo: TestRepo;
let first: string;
let second: string;
// Every cache the tests make, so their folders are deleted at the end.
const caches: TreeCache[] = [];

beforeAll(async () => {
  repo = await createRepo();
  first = await repo.commit({ 'apps/web/deploy.yaml': 'replicas: 1\n', 'charts/web/Chart.yaml': 'name: web\n' });
  await repo.git('branch', 'release/1.0', first);
  second = await repo.commit({ 'apps/web/deploy.yaml': 'replicas: 3\n', 'apps/web/link.yaml': null, 'docs/a b.md': 'spaces\n' });
  github = await startGitHubApi({ token: TOKEN });
  github.addRepo('acme', 'shop', repo.dir);
});

afterAll(async () => {
  await Promise.all(caches.map((cache) => cache.clear()));
  await github.close();
  await repo.remove();
});

function fetcher(options: ConstructorParameters<typeof GitHubTarballFetcher>[1] = {}): GitHubTarballFetcher {
  const cache = options.cache ?? new TreeCache();
  caches.push(cache);
  return new GitHubTarballFetcher(createGitHubClient({ token: TOKEN }, { baseUrl: github.url }), { ...options, cache });
}

function callsSince(index: number): string[] {
  return github.requests.slice(index).map((request) => `${request.method} ${request.path}`);
}

describe('GitHubTarballFetcher', () => {
  it('gives the same tree as local git, at each commit', async () => {
    const local = new LocalGitFetcher({ cache: new TreeCache({ maxIdle: 0 }) });
    for (const sha of [first, second]) {
      const remote = await fetcher().fetch({ repoURL: REPO_URL, revision: sha });
      const expected = await local.fetch({ repoURL: repo.dir, revision: sha });
      expect(remote.sha).toBe(sha);
      expect(await readTree(remote.root)).toEqual(await readTree(expected.root));
      await remote.dispose();
      await expected.dispose();
    }
  });

  it('strips GitHub’s top folder', async () => {
    const source = await fetcher().fetch({ repoURL: REPO_URL, revision: first });
    expect(Object.keys(await readTree(source.root)).sort()).toEqual(['apps/web/deploy.yaml', 'charts/web/Chart.yaml']);
    await source.dispose();
  });

  it('downloads a full sha directly, following the redirect to codeload', async () => {
    const before = github.requests.length;
    await (await fetcher().fetch({ repoURL: REPO_URL, revision: second.toUpperCase() })).dispose();
    expect(callsSince(before)).toEqual([`GET /repos/acme/shop/tarball/${second}`, `GET /_codeload/acme/shop/legacy.tar.gz/${second}`]);
  });

  it('resolves a branch to its sha with the small sha media type first', async () => {
    const before = github.requests.length;
    const source = await fetcher().fetch({ repoURL: 'git@github.com:acme/shop.git', revision: 'release/1.0' });
    expect(source.sha).toBe(first);
    const resolve = github.requests[before];
    expect(`${resolve.method} ${decodeURIComponent(resolve.path)}`).toBe('GET /repos/acme/shop/commits/release/1.0');
    expect(resolve.headers.accept).toBe('application/vnd.github.sha');
    expect(callsSince(before).slice(1)).toEqual([`GET /repos/acme/shop/tarball/${first}`, `GET /_codeload/acme/shop/legacy.tar.gz/${first}`]);
    await source.dispose();
  });

  it('reuses the folder of a sha it already fetched, with no download', async () => {
    const cache = new TreeCache();
    const fetch = fetcher({ cache });
    const one = await fetch.fetch({ repoURL: REPO_URL, revision: 'main' });
    await one.dispose();
    const before = github.requests.length;
    const two = await fetch.fetch({ repoURL: 'https://github.com/ACME/shop', revision: 'main' });
    expect(two.root).toBe(one.root);
    expect(callsSince(before)).toEqual(['GET /repos/ACME/shop/commits/main']);
    const three = await fetch.fetch({ repoURL: REPO_URL, revision: second });
    expect(three.root).toBe(one.root);
    expect(callsSince(before)).toHaveLength(1);
    await two.dispose();
    await three.dispose();
  });

  it('names the repository and revision it cannot find, never the token', async () => {
    const errors = await Promise.all([
      fetcher()
        .fetch({ repoURL: REPO_URL, revision: 'no-such-branch' })
        .catch((caught: unknown) => caught),
      fetcher()
        .fetch({ repoURL: REPO_URL, revision: 'e'.repeat(40) })
        .catch((caught: unknown) => caught),
      fetcher()
        .fetch({ repoURL: 'https://github.com/acme/missing', revision: 'main' })
        .catch((caught: unknown) => caught),
    ]);
    expect(errors[0]).toBeInstanceOf(RevisionNotFoundError);
    expect((errors[0] as Error).message).toBe(`revision "no-such-branch" not found in ${REPO_URL}`);
    expect(errors[1]).toBeInstanceOf(RevisionNotFoundError);
    expect((errors[1] as Error).message).toContain('e'.repeat(40));
    expect(errors[2]).toBeInstanceOf(RepositoryNotFoundError);
    for (const error of errors) expect(`${(error as Error).message} ${(error as Error).stack}`).not.toContain(TOKEN);
  });

  it('reports a GitHub failure without the token', async () => {
    github.failNext('/repos/acme/shop/tarball', 502, 'Bad Gateway');
    const error = (await fetcher()
      .fetch({ repoURL: REPO_URL, revision: first })
      .catch((caught: unknown) => caught)) as GitHubApiError;
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error.status).toBe(502);
    expect(error.message).toContain(`acme/shop@${first}`);
    expect(`${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error.cause)}`).not.toContain(TOKEN);
  });

  it('refuses a tarball bigger than the bound while streaming it, and keeps nothing', async () => {
    const big = await createRepo();
    try {
      const { randomBytes } = await import('node:crypto');
      const sha = await big.commit({ 'blob.bin': randomBytes(512 * 1024) });
      github.addRepo('acme', 'big', big.dir);
      const cache = new TreeCache();
      await expect(fetcher({ cache, maxBytes: 128 * 1024 }).fetch({ repoURL: 'https://github.com/acme/big', revision: sha })).rejects.toThrow(
        /acme\/big@.* is larger than the limit of 131072 bytes/,
      );
      expect(cache.keys()).toEqual([]);
      // Zeros compress to almost nothing: the unpacked size is what passes the bound.
      const zeros = await big.commit({ 'blob.bin': Buffer.alloc(1024 * 1024) });
      await expect(fetcher({ cache, maxBytes: 128 * 1024 }).fetch({ repoURL: 'https://github.com/acme/big', revision: zeros })).rejects.toThrow(
        SourceTooLargeError,
      );
      await expect(fetcher({ cache, maxBytes: 128 * 1024 }).fetch({ repoURL: 'https://github.com/acme/big', revision: zeros })).rejects.toThrow(
        /unpacked content/,
      );
    } finally {
      await big.remove();
    }
  });
});
