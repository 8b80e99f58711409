// Issue 12, item 3: a tenant who may write Applications of project team-a (sourceRepos
// `https://github.com/team-a/*`) spells team-b's repository so that the glob seems to allow
// it. Every spelling is refused where the registry is read, naming file, line and field, for
// any project (`*` included); and if one reached the worker anyway, the fetch is refused
// before GitHub is asked, so team-b's files are never read with the fleet's token. A
// repository on another host is never read as the same-named one on GitHub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient, gitHubHost } from '../../shared/github/client.ts';
import { InvalidRepoURLError } from '../../shared/github/errors.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { GitHubStatusPoster } from '../../shared/github/status.ts';
import { GitHubBranchHeads } from '../../shared/github/heads.ts';
import { RoutingFetcher } from '../../shared/source/routing.ts';
import { GitHubTarballFetcher } from '../../shared/source/github-tarball.ts';
import { TreeCache } from '../../shared/source/tree-cache.ts';
import { problemsOf } from '../config/registry-files.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';

const MARKER = 'team-b-private-4f1c9a';

// team-b's repository, as a URL parser (WHATWG, git, GitHub) would resolve each spelling.
const HOSTILE = [
  'https://github.com/team-a/../team-b/x',
  'https://github.com/team-a/x/../../team-b/y',
  'https://github.com/team-a/%2e%2e/team-b/x',
  'https://github.com/team-a/%2E%2E/team-b/x',
  'https://github.com/team-a/.%2e/team-b/x',
  'https://github.com/team-a%2F..%2Fteam-b/x',
  'https://github.com/team-a/x%2F..%2F..%2Fteam-b%2Fx',
  'https://github.com/team-a/x%5C..%5C..%5Cteam-b',
  'https://github.com/team-a\\..\\team-b/x',
  'https://github.com/team-a/.\t./team-b/x',
  'https://github.com/team-a/x?/../../team-b/x',
  'https://github.com/team-a/x#/../../team-b/x',
  'git@github.com:team-a/../team-b/x.git',
  'ssh://git@github.com/team-a/../team-b/x',
  'https://team-a@github.com/team-b/x',
  'https://x-access-token:ghp_stolen@github.com/team-a/x',
];

const PROJECT = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: team-a }
spec:
  sourceRepos: ['https://github.com/team-a/*']
  destinations: [{ name: dev, namespace: team-a }]
`;

function app(repoURL: string, project = 'team-a'): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: sneaky }
spec:
  project: ${project}
  source:
    repoURL: ${JSON.stringify(repoURL)}
    path: deploy
  destination: { name: dev, namespace: team-a }
`;
}

describe('a repoURL spelt to leave its project', () => {
  it.each(HOSTILE)('refuses %j in the registry at file:line spec.source.repoURL', (repoURL) => {
    const problems = problemsOf({ 'driftless/project.yaml': PROJECT, 'driftless/sneaky.yaml': app(repoURL) });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^driftless\/sneaky\.yaml:7: Application\/sneaky: spec\.source\.repoURL: repository URL ".*": /);
    expect(problems[0]).not.toContain('ghp_stolen');
  });

  it.each(HOSTILE)('refuses %j for the default project too, whose sourceRepos is *', (repoURL) => {
    expect(problemsOf({ 'driftless/sneaky.yaml': app(repoURL, 'default') })).toEqual([expect.stringMatching(/spec\.source\.repoURL: repository URL/)]);
  });

  it('still allows the team its own repositories, in the spellings people write', () => {
    for (const repoURL of ['https://github.com/team-a/x', 'https://github.com/Team-A/x.git', 'git@github.com:team-a/x.git', 'ssh://git@github.com/team-a/x']) {
      expect(() => problemsOf({ 'driftless/project.yaml': PROJECT, 'driftless/sneaky.yaml': app(repoURL) })).toThrow('expected the registry to be refused');
    }
  });

  it("denies team-b's repository however it is written", () => {
    for (const repoURL of ['https://github.com/team-b/x', 'git@github.com:team-b/x.git', 'https://GITHUB.com/team-b/x/']) {
      expect(problemsOf({ 'driftless/project.yaml': PROJECT, 'driftless/sneaky.yaml': app(repoURL) })).toEqual([
        `driftless/sneaky.yaml:7: Application/sneaky: spec.source.repoURL: project "team-a" does not allow repository ${repoURL} (its sourceRepos: https://github.com/team-a/*)`,
      ]);
    }
  });
});

describe('the fetch of a repoURL that reached the worker anyway', () => {
  let github: GitHubApiDouble;
  let teamA: TestRepo;
  let teamB: TestRepo;
  const cache = new TreeCache();

  beforeAll(async () => {
    teamA = await createRepo();
    await teamA.commit({ 'deploy/cm.yaml': 'kind: ConfigMap\n' });
    teamB = await createRepo();
    await teamB.commit({ 'deploy/secret.yaml': `kind: Secret\nstringData: { k: ${MARKER} }\n` });
    github = await startGitHubApi({ token: 'ghp_fleet' });
    github.addRepo('team-a', 'x', teamA.dir);
    github.addRepo('team-b', 'x', teamB.dir);
  });
  afterAll(async () => {
    await cache.clear();
    await github?.close();
    await Promise.all([teamA?.remove(), teamB?.remove()]);
  });

  const client = () => createGitHubClient({ token: 'ghp_fleet' }, { baseUrl: github.url });

  it.each(HOSTILE)('refuses %j as bad input before GitHub is asked', async (repoURL) => {
    const fetcher = new RoutingFetcher({ github: new GitHubTarballFetcher(client(), { cache }) });
    const before = github.requests.length;
    const error = await fetcher.fetch({ repoURL, revision: 'main' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRepoURLError);
    expect(isBadInput(error)).toBe(true);
    expect((error as Error).message).not.toContain('ghp_stolen');
    expect(github.requests.slice(before)).toEqual([]);
  });

  it('refuses a repository on another host instead of reading the same-named one on GitHub', async () => {
    const fetcher = new GitHubTarballFetcher(client(), { cache });
    const before = github.requests.length;
    for (const repoURL of ['https://gitlab.com/team-b/x', 'git@bitbucket.org:team-b/x.git', 'https://evil.example/team-b/x']) {
      await expect(fetcher.fetch({ repoURL, revision: 'main' })).rejects.toThrow(/is not the GitHub host this installation reads \(github\.com\)/);
      await expect(new GitHubBranchHeads(client()).head(repoURL, 'main')).rejects.toThrow(InvalidRepoURLError);
      await expect(
        new GitHubStatusPoster(client()).post({ repoURL, sha: 'a'.repeat(40), state: 'success', context: 'driftless/x@dev', description: 'x' }),
      ).rejects.toThrow(InvalidRepoURLError);
    }
    expect(github.requests.slice(before)).toEqual([]);
    expect(github.statuses).toEqual([]);
  });

  it('reads a GitHub Enterprise host when that is the configured one, and then not github.com', async () => {
    expect(gitHubHost(undefined)).toBe('github.com');
    expect(gitHubHost('https://api.github.com')).toBe('github.com');
    expect(gitHubHost('https://GHE.example.com/api/v3/')).toBe('ghe.example.com');
    const fetcher = new GitHubTarballFetcher(client(), { cache, host: 'ghe.example.com' });
    const source = await fetcher.fetch({ repoURL: 'https://ghe.example.com/team-a/x', revision: 'main' });
    await source.dispose();
    await expect(fetcher.fetch({ repoURL: 'https://github.com/team-a/x', revision: 'main' })).rejects.toThrow(
      /host github\.com is not the GitHub host this installation reads \(ghe\.example\.com\)/,
    );
  });

  it("fetches team-a's own repository as before", async () => {
    const source = await new GitHubTarballFetcher(client(), { cache }).fetch({ repoURL: 'https://github.com/team-a/x.git', revision: 'main' });
    await source.dispose();
    expect(github.requests.some((request) => request.path.includes('team-b'))).toBe(false);
  });
});
