// DeploymentPoster against the GitHub double: a deployment per environment and commit, its
// statuses following the sync, earlier ones inactive once a newer one succeeds (GitHub's
// auto_inactive), and a refusal that never fails the post.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../shared/github/client.ts';
import type { CheckDetails } from '../../shared/github/check-details.ts';
import { DeploymentPoster, deploymentState, environmentName } from '../../shared/github/deployments.ts';
import { GitHubStatusPoster, statusContext, type CommitStatus } from '../../shared/github/status.ts';
import { ConsoleCheckRunPoster, GitHubCheckRunPoster } from '../../shared/github/check-runs.ts';
import { RuntimeConfigError } from '../../shared/runtime/errors.ts';
import { deploymentsEnabled, statusPoster } from '../../shared/runtime/environment.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';

const TOKEN = 'ghp_deploymentsToken0123456789';
let github: GitHubApiDouble;
let repo: TestRepo;
let first: string;
let second: string;

beforeAll(async () => {
  repo = await createRepo();
  first = await repo.commit({ 'apps/web/a.yaml': 'a: 1\n' });
  second = await repo.commit({ 'apps/web/a.yaml': 'a: 2\n' });
  github = await startGitHubApi({ token: TOKEN });
  github.addRepo('acme', 'shop', repo.dir);
});

afterAll(async () => {
  await github.close();
  await repo.remove();
});

function post(sha: string, cluster: string, state: CommitStatus['state'], details: Partial<CheckDetails> = {}): CommitStatus {
  return {
    repoURL: 'https://github.com/acme/shop',
    sha,
    state,
    context: statusContext('web', cluster),
    description: `${state} of web`,
    check: { app: 'web', cluster, ...details },
  };
}

function poster(warnings: string[] = [], options: { environmentTemplate?: string } = {}) {
  const octokit = createGitHubClient({ token: TOKEN }, { baseUrl: github.url });
  return new DeploymentPoster(new GitHubStatusPoster(octokit), octokit, {
    dashboardUrl: 'https://driftless.example',
    warn: (message, fields) => warnings.push(`${message}: ${String(fields.error)}`),
    ...options,
  });
}

describe('DeploymentPoster', () => {
  it('creates a deployment of the commit when its sync starts, in_progress then success, and inactivates the earlier one', async () => {
    const deployments = poster();
    await deployments.post(post(first, 'prod-eu', 'pending'));
    await deployments.post(post(first, 'prod-eu', 'success'));
    await deployments.post(post(second, 'prod-eu', 'pending'));
    await deployments.post(post(second, 'prod-eu', 'success'));

    const mine = github.deployments.filter((deployment) => deployment.environment === 'prod-eu/web');
    expect(mine.map((deployment) => [deployment.sha, deployment.statuses.map((status) => status.state)])).toEqual([
      [first, ['in_progress', 'success', 'inactive']],
      [second, ['in_progress', 'success']],
    ]);
    expect(mine[0]).toMatchObject({
      ref: first,
      task: 'deploy',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      payload: { app: 'web', cluster: 'prod-eu' },
    });
    expect(mine[1].statuses[1]).toMatchObject({ environment_url: 'https://driftless.example/apps/web?cluster=prod-eu', description: 'success of web' });
    // The commit statuses still went out, each before its deployment status.
    expect(github.statuses.filter((status) => status.context === 'driftless/web@prod-eu').map((status) => status.state)).toEqual([
      'pending',
      'success',
      'pending',
      'success',
    ]);
  });

  it('deploys despite failing or pending commit statuses (required_contexts: [])', async () => {
    const deployments = poster();
    // A failure status on the commit: GitHub's default required contexts would answer 409.
    await deployments.post(post(second, 'prod-us', 'pending'));
    await deployments.post(post(second, 'prod-us', 'failure'));
    const [deployment] = github.deployments.filter((candidate) => candidate.environment === 'prod-us/web');
    expect(deployment.statuses.map((status) => status.state)).toEqual(['in_progress', 'failure']);
  });

  it('finds the deployment another process started, and marks a superseded one inactive', async () => {
    await poster().post(post(first, 'staging', 'pending'));
    await poster().post(post(first, 'staging', 'failure', { reason: 'superseded' }));
    const [deployment] = github.deployments.filter((candidate) => candidate.environment === 'staging/web');
    expect(deployment.statuses.map((status) => status.state)).toEqual(['in_progress', 'inactive']);
    expect(github.deployments.filter((candidate) => candidate.environment === 'staging/web')).toHaveLength(1);
  });

  it('names environments by DEPLOYMENT_ENVIRONMENT’s template', async () => {
    await poster([], { environmentTemplate: '{cluster}-{app}' }).post(post(first, 'dev', 'pending'));
    expect(github.deployments.at(-1)?.environment).toBe('dev-web');
  });

  it('starts no deployment while a sync window holds the sync', async () => {
    const before = github.deployments.length;
    await poster().post(post(first, 'held', 'pending', { reason: 'held' }));
    expect(github.deployments.length).toBe(before);
  });

  it('never fails the post when GitHub refuses the deployment: a warning instead', async () => {
    const warnings: string[] = [];
    github.failNext('/repos/acme/shop/deployments', 403, 'Resource not accessible by integration');
    await expect(poster(warnings).post(post(first, 'qa', 'pending'))).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/deployment not posted: posting deployment of .* to qa\/web on acme\/shop: HTTP 403/);
    expect(warnings[0]).not.toContain(TOKEN);
    expect(github.statuses.at(-1)).toMatchObject({ context: 'driftless/web@qa', state: 'pending' });
  });

  it('still fails the post when the commit status itself is refused', async () => {
    github.failNext('/repos/acme/shop/statuses', 500);
    await expect(poster().post(post(first, 'qa2', 'pending'))).rejects.toThrow(/HTTP 500/);
  });
});

describe('environment names and states', () => {
  it('refuses a template with another placeholder, or a name GitHub would not take', () => {
    expect(environmentName('{cluster}/{app}', 'web', 'prod')).toBe('prod/web');
    expect(() => environmentName('{cluster}/{application}', 'web', 'prod')).toThrow(/unknown placeholder \{application\}/);
    expect(() => environmentName(`${'x'.repeat(250)}{app}`, 'webapp', 'prod')).toThrow(/1 to 255/);
  });

  it('follows the check run’s meaning of a post', () => {
    expect(deploymentState({ state: 'pending' })).toBe('in_progress');
    expect(deploymentState({ state: 'pending', check: { app: 'a', cluster: 'c', reason: 'held' } })).toBeUndefined();
    expect(deploymentState({ state: 'success' })).toBe('success');
    expect(deploymentState({ state: 'error' })).toBe('failure');
  });

  it('are on with GITHUB_DEPLOYMENTS=1, off with 0, and by default only for a GitHub App', () => {
    expect(deploymentsEnabled({}, true)).toBe(true);
    expect(deploymentsEnabled({}, false)).toBe(false);
    expect(deploymentsEnabled({ GITHUB_DEPLOYMENTS: '1' }, false)).toBe(true);
    expect(deploymentsEnabled({ GITHUB_DEPLOYMENTS: '0' }, true)).toBe(false);
    expect(() => deploymentsEnabled({ GITHUB_DEPLOYMENTS: 'maybe' }, true)).toThrow(/GITHUB_DEPLOYMENTS/);
  });
});

describe('the worker’s poster', () => {
  const octokit = () => createGitHubClient({ token: TOKEN }, { baseUrl: github.url });
  const app = { appId: '1', privateKey: 'k', installationId: '2' };

  it('keeps commit statuses, and nothing more, with a token', () => {
    expect(statusPoster(octokit(), {}, { secret: { token: TOKEN } })).toBeInstanceOf(GitHubStatusPoster);
  });

  it('posts check runs and deployments as a GitHub App, check runs alone with GITHUB_DEPLOYMENTS=0', () => {
    expect(statusPoster(octokit(), {}, { secret: app })).toBeInstanceOf(DeploymentPoster);
    expect(statusPoster(octokit(), { GITHUB_DEPLOYMENTS: '0' }, { secret: app })).toBeInstanceOf(GitHubCheckRunPoster);
  });

  it('prints to the console without GitHub', () => {
    expect(statusPoster(undefined, {})).toBeInstanceOf(ConsoleCheckRunPoster);
  });

  it('refuses a DEPLOYMENT_ENVIRONMENT it cannot fill in at start, not on every sync', () => {
    expect(() => statusPoster(octokit(), { DEPLOYMENT_ENVIRONMENT: '{env}-{app}' }, { secret: app })).toThrow(RuntimeConfigError);
  });
});
