// How two commits relate, as GitHub's compare API says it and as the sources answer "is this
// commit in that one's history" from it (or from git, locally): the question the worker asks
// before applying a pushed revision over the applied one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../shared/github/client.ts';
import { compareCommits } from '../../shared/github/compare.ts';
import { GitHubTarballFetcher } from '../../shared/source/github-tarball.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { RoutingFetcher } from '../../shared/source/routing.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';

const URL = 'https://github.com/acme/shop';
let github: GitHubApiDouble;
let repo: TestRepo;
// first ← second ← third on main; forced: a commit on first that main does not have (a force push's new head).
let first: string;
let second: string;
let third: string;
let forced: string;

beforeAll(async () => {
  repo = await createRepo();
  first = await repo.commit({ 'a.yaml': 'a: 1\n' });
  second = await repo.commit({ 'a.yaml': 'a: 2\n' });
  third = await repo.commit({ 'a.yaml': 'a: 3\n' });
  await repo.git('checkout', '--quiet', '-b', 'rewritten', first);
  forced = await repo.commit({ 'a.yaml': 'a: rewritten\n' });
  await repo.git('checkout', '--quiet', 'main');
  github = await startGitHubApi({ token: 't' });
  github.addRepo('acme', 'shop', repo.dir);
});
afterAll(async () => {
  await github?.close();
  await repo?.remove();
});

const client = () => createGitHubClient({ token: 't' }, { baseUrl: github.url });
const shop = { host: 'github.com', owner: 'acme', repo: 'shop' };

describe('compareCommits', () => {
  it('says where head stands relative to base, as GitHub does', async () => {
    expect(await compareCommits(client(), shop, first, third)).toBe('ahead');
    expect(await compareCommits(client(), shop, third, first)).toBe('behind');
    expect(await compareCommits(client(), shop, second, second)).toBe('identical');
    expect(await compareCommits(client(), shop, third, forced)).toBe('diverged');
  });

  it('answers undefined for a commit GitHub does not know', async () => {
    expect(await compareCommits(client(), shop, third, 'f'.repeat(40))).toBeUndefined();
  });

  it('turns other failures into a GitHubApiError naming the comparison', async () => {
    github.failNext('/repos/acme/shop/compare', 502, 'Bad Gateway');
    await expect(compareCommits(client(), shop, first, third)).rejects.toThrow(/comparing .*\.\.\..* in acme\/shop: HTTP 502/);
  });
});

describe('isAncestor on the sources', () => {
  it('is true for an older commit of the history or the same commit, false for a newer or a diverged one (GitHub)', async () => {
    const fetcher = new GitHubTarballFetcher(client());
    expect(await fetcher.isAncestor(URL, first, third)).toBe(true);
    expect(await fetcher.isAncestor(URL, third, third)).toBe(true);
    expect(await fetcher.isAncestor(URL, third, first)).toBe(false);
    expect(await fetcher.isAncestor(URL, forced, third)).toBe(false);
    expect(await fetcher.isAncestor(URL, 'f'.repeat(40), third)).toBeUndefined();
  });

  it('asks GitHub once per pair of commits: what is in a history never changes', async () => {
    const fetcher = new GitHubTarballFetcher(client());
    const before = github.requests.length;
    for (let i = 0; i < 5; i++) expect(await fetcher.isAncestor(URL, second, third)).toBe(true);
    expect(github.requests.slice(before).map((request) => request.path)).toEqual([`/repos/acme/shop/compare/${third}...${second}`]);
  });

  it('answers the same from git for a local repository, through the routing fetcher', async () => {
    const fetcher = new RoutingFetcher({ local: new LocalGitFetcher(), github: new GitHubTarballFetcher(client()) });
    expect(await fetcher.isAncestor(repo.dir, first, third)).toBe(true);
    expect(await fetcher.isAncestor(repo.dir, third, third)).toBe(true);
    expect(await fetcher.isAncestor(repo.dir, third, first)).toBe(false);
    expect(await fetcher.isAncestor(repo.dir, forced, third)).toBe(false);
    expect(await fetcher.isAncestor(repo.dir, 'f'.repeat(40), third)).toBeUndefined();
    expect(await fetcher.isAncestor(URL, first, third)).toBe(true);
  });

  it('never hands git something it would read as an option', async () => {
    expect(await new LocalGitFetcher().isAncestor(repo.dir, '--exec=touch /tmp/x', third)).toBeUndefined();
  });
});
