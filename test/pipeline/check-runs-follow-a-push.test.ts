// With a GitHub App, a push's sync is told on GitHub as a check run per app × cluster (not a
// commit status) and as a deployment of the `<cluster>/<app>` environment: the real webhook and
// worker handlers, the sandbox cluster, and the GitHub double checking the app's JWT and
// installation token, GitHub's 50-annotation and 65535-character limits.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, REPO, startPipeline, webDeployment, webRegistry, type Pipeline } from '../support/pipeline.ts';
import { startGitHubApi, type GitHubApiDouble, type RecordedCheckRun } from '../support/github-api.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const INSTALLATION_TOKEN = 'ghs_pipelineInstallationToken0123';
const SECRET_VALUE = 's3cr3t-value-never-on-github';
const DASHBOARD = 'https://driftless.example.com';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

/** The web app: two ConfigMaps in one file (the second's document starts on line 6), a Secret and a Deployment. */
function webFiles(color: string): Record<string, string> {
  return {
    'apps/web/config.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: { name: web-config }',
      `data: { color: ${color} }`,
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: { name: web-extra }',
      `data: { color: ${color} }`,
      '',
    ].join('\n'),
    'apps/web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: { name: web-credentials }\nstringData: { password: ${SECRET_VALUE} }\n`,
    'apps/web/deploy.yaml': webDeployment(2),
  };
}

let pipeline: Pipeline;
let github: GitHubApiDouble;

beforeAll(async () => {
  pipeline = await startPipeline();
  github = await startGitHubApi({ app: { appId: '31337', publicKey, installationId: '99', installationToken: INSTALLATION_TOKEN } });
  github.addRepo(OWNER, REPO, pipeline.repo.dir, { defaultBranch: 'main' });
  // The worker builds its GitHub client on its first job: as the app, against this double.
  Object.assign(process.env, {
    GITHUB_SECRET: JSON.stringify({ appId: '31337', privateKey, installationId: '99' }),
    GITHUB_API_URL: github.url,
    DASHBOARD_URL: DASHBOARD,
  });
});

afterAll(async () => {
  await github?.close();
  await pipeline?.stop();
});

function runsOf(sha: string): RecordedCheckRun[] {
  return github.checkRuns.filter((run) => run.name === 'driftless/web@sandbox' && run.head_sha === sha);
}

/** The count row of the summary's first table, as columns → numbers. */
function counts(summary: string): Record<string, number> {
  const lines = summary.split('\n');
  const header = lines.findIndex((line) => line.startsWith('| created'));
  const names = lines[header]
    .split('|')
    .map((cell) => cell.trim())
    .filter(Boolean);
  const values = lines[header + 2]
    .split('|')
    .map((cell) => cell.trim())
    .filter(Boolean)
    .map(Number);
  return Object.fromEntries(names.map((name, i) => [name, values[i]]));
}

/** Whether the target's history has a sync of `sha` that ended so. */
async function syncedAt(sha: string, status: 'Synced' | 'Failed'): Promise<boolean> {
  const history = await pipeline.store.listHistory('web', 'sandbox', 10);
  return history.some((entry) => entry.revision === sha && entry.status === status);
}

describe('a push synced as a GitHub App', () => {
  let first: string;
  let second: string;
  let third: string;

  it('leaves one check run for the app on the cluster, in progress then completed success, with the counts', async () => {
    const files = { ...webRegistry(), ...webFiles('blue') };
    first = await pipeline.repo.commit(files);
    expect((await pipeline.push(EMPTY, first, { added: Object.keys(files) })).statusCode).toBe(202);
    await pipeline.work(() => syncedAt(first, 'Synced'), 60_000);

    const runs = runsOf(first);
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run.updates.map((update) => update.status)).toEqual(['in_progress', 'completed']);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'success', external_id: 'web@sandbox', details_url: `${DASHBOARD}/apps/web?cluster=sandbox` });
    // Two ConfigMaps, the Secret, the Deployment and the namespace CreateNamespace=true makes.
    expect(counts(run.output!.summary)).toEqual({ created: 5, configured: 0, unchanged: 0, pruned: 0, failed: 0 });
    expect(run.output!.summary).toContain('| Deployment/shop/web | created | Healthy |');
    expect(run.output!.summary).toContain(`(${DASHBOARD}/apps/web?cluster=sandbox)`);
    expect(run.annotations).toEqual([]);
    // A check run instead of the commit status, never both.
    expect(github.statuses.filter((status) => status.context === 'driftless/web@sandbox')).toEqual([]);
    expect(
      github.requests
        .filter((request) => request.path.startsWith('/repos/'))
        .every((request) => request.headers.authorization === `token ${INSTALLATION_TOKEN}`),
    ).toBe(true);
  });

  it('annotates a failing object on its manifest file and line', async () => {
    second = await pipeline.repo.commit(webFiles('green'));
    pipeline.sandbox.faults.inject({ verb: 'patch', resource: 'configmaps', name: 'web-extra', status: 500, times: 1 });
    expect((await pipeline.push(first, second, { modified: ['apps/web/config.yaml'] })).statusCode).toBe(202);
    await pipeline.work(() => syncedAt(second, 'Failed'), 60_000);

    const [run] = runsOf(second);
    expect(run).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]).toMatchObject({
      path: 'apps/web/config.yaml',
      start_line: 6,
      end_line: 6,
      annotation_level: 'failure',
      title: 'ConfigMap/shop/web-extra failed',
    });
    expect(counts(run.output!.summary).failed).toBe(1);
  });

  it('keeps a deployment per commit of sandbox/web: in_progress then success or failure, the earlier success inactive', async () => {
    third = await pipeline.repo.commit(webFiles('red'));
    expect((await pipeline.push(second, third, { modified: ['apps/web/config.yaml'] })).statusCode).toBe(202);
    await pipeline.work(() => syncedAt(third, 'Synced'), 60_000);
    expect(runsOf(third).map((run) => run.conclusion)).toEqual(['success']);

    const deployments = github.deployments.filter((deployment) => deployment.environment === 'sandbox/web');
    expect(deployments.map((deployment) => [deployment.sha, deployment.statuses.map((status) => status.state)])).toEqual([
      [first, ['in_progress', 'success', 'inactive']],
      [second, ['in_progress', 'failure']],
      [third, ['in_progress', 'success']],
    ]);
    expect(deployments[0]).toMatchObject({
      payload: { app: 'web', cluster: 'sandbox' },
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
    });
  });

  it('never sends a Secret’s value to GitHub', () => {
    const sent = github.requests.map((request) => request.body).join('\n');
    expect(sent).toContain('driftless/web@sandbox');
    expect(sent).not.toContain(SECRET_VALUE);
    expect(sent).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
  });
});
