import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../shared/github/client.ts';
import { BranchNotFoundError, LocalRepoError } from '../../shared/github/errors.ts';
import { GitHubBranchHeads, LocalGitBranchHeads } from '../../shared/github/heads.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';

let github: GitHubApiDouble;
let repo: TestRepo;
let first: string;
let second: string;

beforeAll(async () => {
  repo = await createRepo();
  first = await repo.commit({ 'a.yaml': 'a: 1\n' });
  await repo.git('branch', 'release/1', first);
  second = await repo.commit({ 'a.yaml': 'a: 2\n' });
  github = await startGitHubApi({ token: 't' });
  github.addRepo('acme', 'shop', repo.dir);
});

afterAll(async () => {
  await github.close();
  await repo.remove();
});

describe('GitHubBranchHeads', () => {
  it('answers each branch head with one call', async () => {
    const heads = new GitHubBranchHeads(createGitHubClient({ token: 't' }, { baseUrl: github.url }));
    const before = github.requests.length;
    expect(await heads.head('https://github.com/acme/shop', 'main')).toBe(second);
    expect(github.requests.length - before).toBe(1);
    expect(await heads.head('git@github.com:acme/shop.git', 'release/1')).toBe(first);
  });

  it('says which branch is missing', async () => {
    const heads = new GitHubBranchHeads(createGitHubClient({ token: 't' }, { baseUrl: github.url }));
    await expect(heads.head('https://github.com/acme/shop', 'nope')).rejects.toThrow(BranchNotFoundError);
    await expect(heads.head('https://github.com/acme/shop', 'nope')).rejects.toThrow(/branch "nope" not found in https:\/\/github.com\/acme\/shop/);
  });
});

describe('LocalGitBranchHeads', () => {
  const heads = new LocalGitBranchHeads();

  it('reads branch heads from a path or a file:// URL', async () => {
    expect(await heads.head(repo.dir, 'main')).toBe(second);
    expect(await heads.head(`file://${repo.dir}`, 'release/1')).toBe(first);
  });

  it('follows new commits', async () => {
    const third = await repo.commit({ 'b.yaml': 'b: 1\n' });
    expect(await heads.head(repo.dir, 'main')).toBe(third);
  });

  it('tells a missing branch from a missing repository', async () => {
    await expect(heads.head(repo.dir, 'nope')).rejects.toThrow(BranchNotFoundError);
    await expect(heads.head(repo.dir, '--all')).rejects.toThrow(BranchNotFoundError);
    await expect(heads.head('/nonexistent/driftless-repo', 'main')).rejects.toThrow(LocalRepoError);
  });
});
