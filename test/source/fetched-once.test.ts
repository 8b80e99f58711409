// What a fetched tree spares later jobs: no git for a commit already extracted, and the
// symlink check of a tree once, however many renders read it.
import { rename, symlink } from 'node:fs/promises';
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoEscapingSymlinks } from '../../shared/render/paths.ts';
import { RepositoryNotFoundError } from '../../shared/source/errors.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { checkTreeOnce } from '../../shared/source/read-only-trees.ts';
import { TreeCache } from '../../shared/source/tree-cache.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { writeApp } from '../support/cluster.ts';

let repo: TestRepo;
let sha: string;
const cache = new TreeCache();

beforeAll(async () => {
  repo = await createRepo();
  sha = await repo.commit({ 'apps/web/deploy.yaml': 'replicas: 1\n' });
});
afterAll(async () => {
  await cache.clear();
  await repo.remove();
});

describe('a commit already extracted', () => {
  it('is served by its full sha without running git (the repository may even be gone)', async () => {
    const fetcher = new LocalGitFetcher({ cache });
    const first = await fetcher.fetch({ repoURL: repo.dir, revision: sha });
    const moved = `${repo.dir}-moved`;
    await rename(repo.dir, moved);
    try {
      const again = await fetcher.fetch({ repoURL: repo.dir, revision: sha.toUpperCase() });
      expect(again).toMatchObject({ root: first.root, sha });
      // A branch still has to be resolved by git: with the repository gone, it cannot be.
      await expect(fetcher.fetch({ repoURL: repo.dir, revision: 'main' })).rejects.toBeInstanceOf(RepositoryNotFoundError);
      await again.dispose();
    } finally {
      await rename(moved, repo.dir);
      await first.dispose();
    }
  });
});

describe('the symlink check of a fetched tree', () => {
  it('runs once per tree the cache extracted, and again for a tree it deleted', async () => {
    const small = new TreeCache({ maxIdle: 0 });
    const tree = await small.acquire('k', 'sha', async () => undefined);
    const root = await realpath(tree.root);
    let walks = 0;
    const walk = async () => {
      walks++;
    };
    await checkTreeOnce(root, walk);
    await checkTreeOnce(root, walk);
    expect(walks).toBe(1);
    await tree.dispose();
    await checkTreeOnce(root, walk);
    expect(walks).toBe(2);
  });

  it('keeps its answer for a fetched tree, and still refuses an escaping link in it', async () => {
    const tree = await cache.acquire('escaping', 'sha', async (dir) => {
      await symlink('/etc/passwd', join(dir, 'leak'));
    });
    const root = await realpath(tree.root);
    await expect(assertNoEscapingSymlinks(root)).rejects.toThrow(/symlink pointing outside it: leak/);
    await expect(assertNoEscapingSymlinks(root)).rejects.toThrow(/symlink pointing outside it: leak/);
    await tree.dispose();
  });

  it('walks a folder no cache extracted on every call (a working tree may change)', async () => {
    const dir = await realpath(await writeApp({ 'a.yaml': 'a: 1\n' }));
    await assertNoEscapingSymlinks(dir);
    await symlink('/etc/passwd', join(dir, 'leak'));
    await expect(assertNoEscapingSymlinks(dir)).rejects.toThrow(/symlink pointing outside it/);
  });
});
