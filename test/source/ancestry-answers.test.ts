// "Is this commit in that one's history" is asked by every job of a push (the new commit
// against the applied one): each worker asks its repository once, jobs asking at the same
// moment share the question, and "cannot tell" is asked again later.
import { rename } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../shared/github/client.ts';
import { GitHubTarballFetcher } from '../../shared/source/github-tarball.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';

const URL = 'https://github.com/acme/shop';
let github: GitHubApiDouble;
let repo: TestRepo;
let other: TestRepo;
let first: string;
let second: string;

beforeAll(async () => {
  repo = await createRepo();
  other = await createRepo();
  first = await repo.commit({ 'a.yaml': 'a: 1\n' });
  second = await repo.commit({ 'a.yaml': 'a: 2\n' });
  github = await startGitHubApi({ token: 't' });
  github.addRepo('acme', 'shop', repo.dir);
});
afterAll(async () => {
  await github?.close();
  await Promise.all([repo?.remove(), other?.remove()]);
});

describe('isAncestor asked by jobs at the same moment', () => {
  it('makes one compare request on GitHub for them all', async () => {
    const fetcher = new GitHubTarballFetcher(createGitHubClient({ token: 't' }, { baseUrl: github.url }));
    const before = github.requests.length;
    const answers = await Promise.all(Array.from({ length: 5 }, () => fetcher.isAncestor(URL, first, second)));
    expect(answers).toEqual([true, true, true, true, true]);
    expect(github.requests.slice(before).map((request) => request.path)).toEqual([`/repos/acme/shop/compare/${second}...${first}`]);
  });
});

describe('isAncestor of a local repository', () => {
  it('keeps an answer git gave (the repository may even be gone)', async () => {
    const fetcher = new LocalGitFetcher();
    expect(await fetcher.isAncestor(repo.dir, first, second)).toBe(true);
    expect(await fetcher.isAncestor(repo.dir, second, first)).toBe(false);
    const moved = `${repo.dir}-moved`;
    await rename(repo.dir, moved);
    try {
      expect(await fetcher.isAncestor(repo.dir, first.toUpperCase(), second)).toBe(true);
      expect(await fetcher.isAncestor(repo.dir, second, first)).toBe(false);
      // A pair never asked needs git, which cannot tell now.
      expect(await fetcher.isAncestor(repo.dir, first, first)).toBeUndefined();
    } finally {
      await rename(moved, repo.dir);
    }
  });

  it('asks again where git could not tell (a commit it did not have yet)', async () => {
    const fetcher = new LocalGitFetcher();
    const base = await other.commit({ 'b.yaml': 'b: 1\n' });
    const tip = await other.commit({ 'b.yaml': 'b: 2\n' });
    const clone = await createRepo();
    try {
      expect(await fetcher.isAncestor(clone.dir, base, tip)).toBeUndefined();
      await clone.git('fetch', '--quiet', other.dir, 'main');
      expect(await fetcher.isAncestor(clone.dir, base, tip)).toBe(true);
    } finally {
      await clone.remove();
    }
  });
});
