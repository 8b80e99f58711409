import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RepositoryNotFoundError, RevisionNotFoundError, SourceTooLargeError } from '../../shared/source/errors.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { TreeCache } from '../../shared/source/tree-cache.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { readTree } from './tree.ts';

let repo: TestRepo;
let first: string;
let second: string;
const caches: TreeCache[] = [];

function fetcherWith(cache = new TreeCache()): LocalGitFetcher {
  caches.push(cache);
  return new LocalGitFetcher({ cache });
}

beforeAll(async () => {
  repo = await createRepo();
  first = await repo.commit({ 'apps/web/deploy.yaml': 'replicas: 1\n', 'README.md': 'v1\n' });
  await repo.git('tag', 'v1');
  second = await repo.commit({ 'apps/web/deploy.yaml': 'replicas: 3\n', 'apps/api/svc.yaml': 'port: 80\n', 'README.md': null });
});

afterAll(async () => {
  await Promise.all(caches.map((cache) => cache.clear()));
  await repo.remove();
});

describe('LocalGitFetcher', () => {
  it('gives the tree of each commit, not the working tree', async () => {
    const fetcher = fetcherWith();
    const old = await fetcher.fetch({ repoURL: repo.dir, revision: first });
    const now = await fetcher.fetch({ repoURL: `file://${repo.dir}`, revision: 'main' });
    expect(old.sha).toBe(first);
    expect(await readTree(old.root)).toEqual({ 'apps/web/deploy.yaml': 'replicas: 1\n', 'README.md': 'v1\n' });
    expect(now.sha).toBe(second);
    expect(await readTree(now.root)).toEqual({ 'apps/web/deploy.yaml': 'replicas: 3\n', 'apps/api/svc.yaml': 'port: 80\n' });
    await old.dispose();
    await now.dispose();
  });

  it('resolves tags and short shas', async () => {
    const fetcher = fetcherWith();
    const tagged = await fetcher.fetch({ repoURL: repo.dir, revision: 'v1' });
    const short = await fetcher.fetch({ repoURL: repo.dir, revision: second.slice(0, 8) });
    expect(tagged.sha).toBe(first);
    expect(short.sha).toBe(second);
    await tagged.dispose();
    await short.dispose();
  });

  it('names the repository and revision it cannot find', async () => {
    const fetcher = fetcherWith();
    const error = (await fetcher.fetch({ repoURL: repo.dir, revision: 'no-such-branch' }).catch((caught: unknown) => caught)) as RevisionNotFoundError;
    expect(error).toBeInstanceOf(RevisionNotFoundError);
    expect(error.message).toBe(`revision "no-such-branch" not found in ${repo.dir}`);
    await expect(fetcher.fetch({ repoURL: repo.dir, revision: 'f'.repeat(40) })).rejects.toThrow(RevisionNotFoundError);
    await expect(fetcher.fetch({ repoURL: repo.dir, revision: '--output=/tmp/x' })).rejects.toThrow(RevisionNotFoundError);
    await expect(fetcher.fetch({ repoURL: '/nonexistent/driftless', revision: 'main' })).rejects.toThrow(RepositoryNotFoundError);
    await expect(fetcher.fetch({ repoURL: 'https://github.com/acme/shop', revision: 'main' })).rejects.toThrow(RepositoryNotFoundError);
  });

  it('reuses the folder for a commit it already fetched', async () => {
    const cache = new TreeCache();
    const fetcher = fetcherWith(cache);
    const [a, b] = await Promise.all([fetcher.fetch({ repoURL: repo.dir, revision: 'main' }), fetcher.fetch({ repoURL: repo.dir, revision: second })]);
    expect(b.root).toBe(a.root);
    const made = (await stat(a.root)).mtimeMs;
    await a.dispose();
    await b.dispose();
    const again = await fetcher.fetch({ repoURL: repo.dir, revision: 'main' });
    expect(again.root).toBe(a.root);
    expect((await stat(again.root)).mtimeMs).toBe(made);
    expect(cache.keys()).toEqual([`local:${repo.dir}@${second}`]);
    await again.dispose();
  });

  it('refuses a commit bigger than the bound, and leaves nothing behind', async () => {
    const big = await createRepo();
    try {
      await big.commit({ 'blob.bin': Buffer.alloc(256 * 1024, 7) });
      const cache = new TreeCache();
      const fetcher = new LocalGitFetcher({ cache, maxBytes: 64 * 1024 });
      await expect(fetcher.fetch({ repoURL: big.dir, revision: 'main' })).rejects.toThrow(SourceTooLargeError);
      expect(cache.keys()).toEqual([]);
    } finally {
      await big.remove();
    }
  });
});
