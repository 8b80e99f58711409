// GitHubCheckRunPoster against the GitHub double, authenticated as a GitHub App installation
// (GitHub lets nothing else write check runs).
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../shared/github/client.ts';
import type { CheckDetails } from '../../shared/github/check-details.ts';
import { ConsoleCheckRunPoster, GitHubCheckRunPoster } from '../../shared/github/check-runs.ts';
import { GitHubApiError } from '../../shared/github/errors.ts';
import { statusContext, type CommitStatus } from '../../shared/github/status.ts';
import type { ObjectChange } from '../../shared/sync/changeset.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startGitHubApi, type GitHubApiDouble } from '../support/github-api.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const INSTALLATION_TOKEN = 'ghs_installationTokenValue0123456789';
const APP = { appId: '4242', privateKey, installationId: '77' };

let github: GitHubApiDouble;
let repo: TestRepo;
let sha: string;

beforeAll(async () => {
  repo = await createRepo();
  sha = await repo.commit({ 'apps/web/deploy.yaml': 'kind: ConfigMap\n' });
  github = await startGitHubApi({
    token: 'ghp_plainToken',
    app: { appId: APP.appId, publicKey, installationId: APP.installationId, installationToken: INSTALLATION_TOKEN },
  });
  github.addRepo('acme', 'shop', repo.dir);
});

afterAll(async () => {
  await github.close();
  await repo.remove();
});

const client = () => createGitHubClient(APP, { baseUrl: github.url });

function failedObject(i: number): ObjectChange {
  return {
    object: `Deployment/shop/web-${i}`,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'shop',
    name: `web-${i}`,
    action: 'failed',
    message: `spec.replicas: Invalid value: -${i}`,
    source: { file: 'apps/web/deploy.yaml', document: i + 1, line: 3 * i + 1 },
  };
}

function post(cluster: string, state: CommitStatus['state'], description: string, details: Partial<CheckDetails> = {}): CommitStatus {
  return {
    repoURL: 'https://github.com/acme/shop.git',
    sha,
    state,
    context: statusContext('web', cluster),
    description,
    check: { app: 'web', cluster, ...details },
  };
}

describe('GitHubCheckRunPoster', () => {
  it('takes one run through in_progress to completed, updating it rather than making another', async () => {
    const poster = new GitHubCheckRunPoster(client(), { dashboardUrl: 'https://driftless.example/' });
    await poster.post(post('prod-eu', 'pending', 'Syncing web to prod-eu', { trigger: 'push' }));
    const objects: ObjectChange[] = [
      { object: 'ConfigMap/shop/web', apiVersion: 'v1', kind: 'ConfigMap', name: 'web', namespace: 'shop', action: 'created', health: 'Healthy' },
    ];
    await poster.post(
      post('prod-eu', 'success', 'Synced, Healthy: 1 created', { result: { status: 'Succeeded', health: 'Healthy', message: 'ok', objects, durationMs: 900 } }),
    );

    const runs = github.checkRuns.filter((run) => run.name === 'driftless/web@prod-eu');
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run.updates.map((update) => [update.status, update.conclusion])).toEqual([
      ['in_progress', undefined],
      ['completed', 'success'],
    ]);
    expect(run).toMatchObject({
      head_sha: sha,
      status: 'completed',
      conclusion: 'success',
      external_id: 'web@prod-eu',
      details_url: 'https://driftless.example/apps/web?cluster=prod-eu',
    });
    expect(run.output?.title).toBe('Synced, Healthy: 1 created');
    expect(run.output?.summary).toContain('| ConfigMap/shop/web | created | Healthy |');
    // No list call: the poster kept the id.
    expect(github.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/check-runs'))).toHaveLength(1);
    expect(
      github.requests
        .filter((request) => request.path.includes('/check-runs'))
        .every((request) => request.headers.authorization === `token ${INSTALLATION_TOKEN}`),
    ).toBe(true);
  });

  it('finds a run another process made, once, and starts a new run when the commit syncs again after it completed', async () => {
    await new GitHubCheckRunPoster(client()).post(post('prod-us', 'pending', 'Syncing'));
    const other = new GitHubCheckRunPoster(client());
    await other.post(post('prod-us', 'failure', 'Sync failed'));
    expect(github.checkRuns.filter((run) => run.name === 'driftless/web@prod-us').map((run) => [run.status, run.conclusion])).toEqual([
      ['completed', 'failure'],
    ]);

    await other.post(post('prod-us', 'pending', 'Syncing again (re-run)'));
    expect(github.checkRuns.filter((run) => run.name === 'driftless/web@prod-us').map((run) => [run.status, run.conclusion])).toEqual([
      ['completed', 'failure'],
      ['in_progress', null],
    ]);
  });

  it('keeps the time a run started across a retry, and starts a held run when its window opens', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const poster = new GitHubCheckRunPoster(client(), { now: () => new Date(now) });
    await poster.post(post('eu-2', 'pending', 'waiting for the sync window freeze', { reason: 'held' }));
    now += 60_000;
    await poster.post(post('eu-2', 'pending', 'Syncing'));
    now += 60_000;
    await poster.post(post('eu-2', 'pending', 'attempt 1 failed, retrying in 10s'));
    const run = github.checkRuns.find((candidate) => candidate.name === 'driftless/web@eu-2')!;
    expect(run.updates.map((update) => [update.status, update.started_at])).toEqual([
      ['queued', undefined],
      ['in_progress', '2026-12-01T10:01:00.000Z'],
      ['in_progress', undefined],
    ]);
    expect(run.started_at).toBe('2026-12-01T10:01:00.000Z');
  });

  it('annotates each failed object on its file and line, 50 per request', async () => {
    const objects = Array.from({ length: 120 }, (_, i) => failedObject(i));
    const poster = new GitHubCheckRunPoster(client());
    await poster.post(post('staging', 'pending', 'Syncing'));
    await poster.post(
      post('staging', 'failure', 'Sync failed, Degraded: 120 failed', {
        result: { status: 'Failed', health: 'Degraded', message: '120 failed', objects, durationMs: 5 },
      }),
    );
    const run = github.checkRuns.find((candidate) => candidate.name === 'driftless/web@staging')!;
    expect(run.conclusion).toBe('failure');
    expect(run.annotations).toHaveLength(120);
    expect(run.annotations[7]).toMatchObject({
      path: 'apps/web/deploy.yaml',
      start_line: 22,
      end_line: 22,
      annotation_level: 'failure',
      message: 'spec.replicas: Invalid value: -7',
    });
    // The double answers 422 above 50 in a request: every request stayed within.
    expect(run.updates.map((update) => ((update.output as { annotations?: unknown[] } | undefined)?.annotations ?? []).length)).toEqual([0, 50, 50, 20]);
  });

  it('is refused by GitHub with a plain token, and says so without the token', async () => {
    const poster = new GitHubCheckRunPoster(createGitHubClient({ token: 'ghp_plainToken' }, { baseUrl: github.url }));
    const error = (await poster.post(post('dev', 'pending', 'Syncing')).catch((caught: unknown) => caught)) as GitHubApiError;
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/driftless\/web@dev.*acme\/shop/);
    expect(`${error.message} ${error.stack}`).not.toContain('ghp_plainToken');
  });
});

describe('ConsoleCheckRunPoster', () => {
  it('prints the status line as before, then the check run’s transition and its annotations', async () => {
    const lines: string[] = [];
    const poster = new ConsoleCheckRunPoster({ write: (line: string) => lines.push(line) });
    await poster.post(post('local', 'pending', 'Syncing web to local'));
    await poster.post(
      post('local', 'failure', 'Sync failed', {
        result: { status: 'Failed', health: 'Degraded', message: '1 failed', objects: [failedObject(1)], durationMs: 5 },
      }),
    );
    expect(lines).toEqual([
      `status pending driftless/web@local acme/shop@${sha.slice(0, 12)}: Syncing web to local\n`,
      `check in_progress driftless/web@local ${sha.slice(0, 12)}: Syncing web to local\n`,
      `status failure driftless/web@local acme/shop@${sha.slice(0, 12)}: Sync failed\n`,
      `check completed failure driftless/web@local ${sha.slice(0, 12)}: Sync failed\n`,
      '  apps/web/deploy.yaml:4: Deployment/shop/web-1 failed: spec.replicas: Invalid value: -1\n',
    ]);
  });
});
