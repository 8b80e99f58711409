// The operating commands against the whole pipeline in-process (real webhook and worker,
// dynalite + fauxqs, the sandbox cluster, a GitHub double serving a real git repository):
// what `apps`, `app` and `history` show after pushes, a manual sync followed with --wait, a
// rollback that pins and survives a push, resume, suspend, and the errors an operator meets.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../local/sandbox/index.ts';
import { stateStore } from '../../../shared/runtime/environment.ts';
import type { DynamoStateStore } from '../../../shared/state/dynamo-store.ts';
import { runCli } from '../../support/cli.ts';
import { startAwsApi, type AwsApiDouble } from '../../support/eks-api.ts';
import { liveColor, startPipeline, webApp, webRegistry, type Pipeline } from '../../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const short = (sha: string) => sha.slice(0, 7);

let pipeline: Pipeline;
let store: DynamoStateStore;
let aws: AwsApiDouble;
let goneKubeconfig: string;
const commits: Record<string, string> = {};

/** Clusters an operator can get wrong: an API server that is down, EKS clusters that are not there or not ready. */
function extraClusters(): Record<string, string> {
  return {
    'driftless/broken-clusters.yaml': [
      `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: gone, labels: { env: dev } }\nspec:\n  kubeconfig: { path: ${goneKubeconfig}, context: sandbox }\n`,
      'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: prod-eu }\nspec:\n  eks: { clusterName: prod-eu, region: eu-west-1 }\n',
      'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: staging }\nspec:\n  eks: { clusterName: staging, region: eu-west-1 }\n',
    ].join('---\n'),
  };
}

async function target() {
  return store.getTarget('web', 'sandbox');
}

/** Runs the CLI while the real worker consumes the queue in the background. */
async function withWorker<T>(run: () => Promise<T>): Promise<T> {
  const worker = pipeline.startWorker();
  try {
    return await run();
  } finally {
    await worker.stop();
  }
}

beforeAll(async () => {
  pipeline = await startPipeline();
  store = stateStore(process.env);
  aws = await startAwsApi();
  aws.clusters.set('staging', { status: 'CREATING' });
  process.env.AWS_ENDPOINT_URL_EKS = aws.url;
  // A cluster whose API server has gone away: a kubeconfig for a sandbox that is stopped.
  const gone = await startSandbox();
  goneKubeconfig = join(tmpdir(), `gone-${process.pid}.kubeconfig`);
  await writeFile(goneKubeconfig, gone.kubeconfig());
  await gone.stop();

  commits.blue = await pipeline.repo.commit({ ...webRegistry(), ...extraClusters(), ...webApp('blue') });
  await pipeline.push(EMPTY, commits.blue, { added: ['driftless/web.yaml', 'driftless/clusters.yaml', 'apps/web/config.yaml'] });
  await pipeline.work(async () => (await target())?.revision === commits.blue);
  commits.green = await pipeline.repo.commit(webApp('green'));
  await pipeline.push(commits.blue, commits.green, { modified: ['apps/web/config.yaml'] });
  await pipeline.work(async () => (await target())?.revision === commits.green);
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_EKS;
  await Promise.all([pipeline?.stop(), aws?.close()]);
});

describe('driftless apps, app and history after two pushes', () => {
  it('apps lists web on sandbox at the second commit, Synced and Healthy', async () => {
    const result = await runCli(['apps', '--output', 'json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(rows).toEqual([
      expect.objectContaining({
        app: 'web',
        cluster: 'sandbox',
        namespace: 'shop',
        revision: commits.green,
        syncStatus: 'Synced',
        health: 'Healthy',
        suspended: false,
        registered: true,
      }),
    ]);

    const text = await runCli(['apps']);
    expect(text.stdout).toMatch(/^APP\s+CLUSTER\s+REVISION\s+STATUS\s+HEALTH\s+DRIFT\s+LAST SYNC\s+MESSAGE/);
    expect(text.stdout).toMatch(new RegExp(`web\\s+sandbox\\s+${short(commits.green)}\\s+Synced\\s+Healthy`));
    expect(text.stdout).not.toContain('\x1b['); // not a terminal: no colour
  });

  it('apps filters by app, cluster and status', async () => {
    expect(JSON.parse((await runCli(['apps', '--status', 'failed', '--output', 'json'])).stdout)).toEqual([]);
    expect(JSON.parse((await runCli(['apps', '--cluster', 'sandbox', '--status', 'healthy', '--output', 'json'])).stdout)).toHaveLength(1);
    expect((await runCli(['apps', '--app', 'nope'])).stdout).toBe('No apps match.\n');
  });

  it('history shows both syncs, newest first, with what triggered them', async () => {
    const result = await runCli(['history', 'web', '--output', 'json']);
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as Array<{ revision: string; reason: string; status: string; cluster: string; durationMs: number }>;
    expect(entries.map((entry) => [entry.revision, entry.reason, entry.status, entry.cluster])).toEqual([
      [commits.green, 'push', 'Synced', 'sandbox'],
      [commits.blue, 'config', 'Synced', 'sandbox'],
    ]);
    expect(entries.every((entry) => entry.durationMs >= 0)).toBe(true);
    const text = await runCli(['history', 'web']);
    expect(text.stdout).toMatch(new RegExp(`sandbox\\s+${short(commits.green)}\\s+push\\s+Synced Healthy`));
  });

  it('app shows the resources with their live health', async () => {
    const result = await runCli(['app', 'web', '--output', 'json']);
    expect(result.code).toBe(0);
    const app = JSON.parse(result.stdout) as {
      targets: Array<{ cluster: string; resources: Array<{ kind: string; name: string; health: string }>; liveError?: string }>;
    };
    expect(app.targets).toHaveLength(1);
    expect(app.targets[0].liveError).toBeUndefined();
    expect(app.targets[0].resources.map((resource) => [resource.kind, resource.name, resource.health]).sort()).toEqual([
      ['ConfigMap', 'web-config', 'Healthy'],
      ['Deployment', 'web', 'Healthy'],
    ]);
    const text = await runCli(['app', 'web']);
    expect(text.stdout).toMatch(/web@sandbox/);
    expect(text.stdout).toMatch(/Deployment\s+shop\/web\s+Healthy/);
  });

  it('an unknown app fails with exit 2 and the closest names', async () => {
    for (const command of [
      ['app', 'wbe'],
      ['history', 'webb'],
      ['sync', 'we'],
      ['rollback', 'wab', '--to', 'previous'],
      ['suspend', 'eb'],
    ]) {
      const result = await runCli(command);
      expect(result.code, command.join(' ')).toBe(2);
      expect(result.stderr, command.join(' ')).toMatch(/no app "\w+": did you mean web\?/);
    }
    const far = await runCli(['app', 'payments']);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/no app "payments": known apps: web/);
  });
});

describe('driftless sync APP', () => {
  it('syncs the branch head now and, with --wait, follows it to the end', async () => {
    // A commit nobody pushed (the webhook never saw it): only a manual sync brings it.
    commits.yellow = await pipeline.repo.commit(webApp('yellow'));
    const result = await withWorker(() => runCli(['sync', 'web', '--wait']));
    expect(result.stderr).toMatch(new RegExp(`web@sandbox: queued ${short(commits.yellow)} \\(manual\\)`));
    expect(result.stderr).toMatch(/web@sandbox: synced/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`web@sandbox\\s+${short(commits.yellow)}\\s+Synced\\s+Healthy`));
    expect(await liveColor(pipeline)).toBe('yellow');
    const [latest] = JSON.parse((await runCli(['history', 'web', '--output', 'json'])).stdout) as Array<{ revision: string; reason: string }>;
    expect(latest).toMatchObject({ revision: commits.yellow, reason: 'manual' });
  });

  it('without --wait only requests, and says how to follow', async () => {
    const result = await runCli(['sync', 'web', '--revision', short(commits.yellow), '--output', 'json']);
    expect(result.code).toBe(0);
    // An app name is the queue's form: no notice about the folder form.
    expect(result.stderr).not.toMatch(/-f PATH/);
    const { requests } = JSON.parse(result.stdout) as { requests: Array<{ revision: string; reason: string; cluster: string }> };
    expect(requests).toEqual([expect.objectContaining({ cluster: 'sandbox', revision: commits.yellow, reason: 'manual' })]);
    await pipeline.work(async () => (await target())?.appliedSeq === (await target())?.requestSeq && (await target())?.syncStatus === 'Synced');
  });

  it('a revision that does not exist is exit 2', async () => {
    const result = await runCli(['sync', 'web', '--revision', 'no-such-branch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/revision "no-such-branch" not found/);
  });

  it('a folder is a folder sync: with -f, or in the old spelling with a notice', async () => {
    const current = await runCli(['sync', '-f', './no-such-folder', '--name', 'x', '--namespace', 'y']);
    expect(current.code).toBe(2);
    expect(current.stderr).toMatch(/no-such-folder/);
    expect(current.stderr).not.toMatch(/give the folder as -f PATH/);
    const result = await runCli(['sync', './no-such-folder', '--name', 'x', '--namespace', 'y']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no-such-folder/);
    expect(result.stderr).toMatch(/give the folder as -f PATH/);
  });
});

describe('driftless rollback, resume and suspend', () => {
  it('refuses a revision that was never synced to the target, unless forced', async () => {
    const result = await runCli(['rollback', 'web', '--to', 'deadbeef']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/deadbeef was never synced to web@sandbox .*--force/);
    expect((await target())?.pinnedRevision).toBeUndefined();
  });

  it('rollback --to previous syncs the commit before the current one and pins it', async () => {
    const result = await withWorker(() => runCli(['rollback', 'web', '--to', 'previous', '--wait']));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`pinned to ${short(commits.green)}`));
    expect(await liveColor(pipeline)).toBe('green');
    expect(await target()).toMatchObject({ revision: commits.green, pinnedRevision: commits.green, suspended: true, syncStatus: 'Synced' });
    const [row] = JSON.parse((await runCli(['apps', '--output', 'json'])).stdout) as Array<{ pinnedRevision: string }>;
    expect(row.pinnedRevision).toBe(commits.green);
    expect((await runCli(['apps'])).stdout).toMatch(new RegExp(`Synced \\(pinned ${short(commits.green)}\\)`));
    const [latest] = JSON.parse((await runCli(['history', 'web', '--output', 'json'])).stdout) as Array<{ revision: string; reason: string }>;
    expect(latest).toMatchObject({ revision: commits.green, reason: 'rollback' });
  });

  it('a push to a pinned target is not applied, and its commit status says it is pinned', async () => {
    commits.red = await pipeline.repo.commit(webApp('red'));
    await pipeline.push(commits.yellow, commits.red, { modified: ['apps/web/config.yaml'] });
    const statusOf = () => pipeline.github.statuses.find((status) => status.sha === commits.red && status.context === 'driftless/web@sandbox');
    await pipeline.work(async () => statusOf() !== undefined);
    expect(statusOf()).toMatchObject({ state: 'failure', description: `not applied: web@sandbox is pinned to ${short(commits.green)} (driftless resume web)` });
    expect(await liveColor(pipeline)).toBe('green');
    expect(await target()).toMatchObject({ revision: commits.green, requestedRevision: commits.green, pinnedRevision: commits.green });
    // A manual sync of another revision would move off the pin: refused.
    const off = await runCli(['sync', 'web', '--revision', commits.red]);
    expect(off.code).toBe(2);
    expect(off.stderr).toMatch(/pinned to .* driftless resume web/);
  });

  it('resume lifts the pin and brings the branch head back', async () => {
    const result = await withWorker(() => runCli(['resume', 'web', '--wait']));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`resumed \\(was pinned to ${short(commits.green)}\\); syncing main at ${short(commits.red)}`));
    expect(await liveColor(pipeline)).toBe('red');
    const state = await target();
    expect(state).toMatchObject({ revision: commits.red, suspended: false, syncStatus: 'Synced' });
    expect(state?.pinnedRevision).toBeUndefined();
  });

  it('suspend stops pushes from being applied until resume', async () => {
    const suspended = await runCli(['suspend', 'web']);
    expect(suspended.code).toBe(0);
    expect(suspended.stdout).toMatch(/Suspended web@sandbox/);
    commits.purple = await pipeline.repo.commit(webApp('purple'));
    await pipeline.push(commits.red, commits.purple, { modified: ['apps/web/config.yaml'] });
    const statusOf = () => pipeline.github.statuses.find((status) => status.sha === commits.purple && status.context === 'driftless/web@sandbox');
    await pipeline.work(async () => statusOf() !== undefined);
    expect(statusOf()).toMatchObject({ state: 'failure', description: 'not applied: web@sandbox is suspended (driftless resume web)' });
    expect(await liveColor(pipeline)).toBe('red');
    const listed = JSON.parse((await runCli(['apps', '--status', 'suspended', '--output', 'json'])).stdout) as Array<{
      app: string;
      syncStatus: string;
      suspended: boolean;
    }>;
    expect(listed).toEqual([expect.objectContaining({ app: 'web', syncStatus: 'OutOfSync', suspended: true })]);

    const resumed = await withWorker(() => runCli(['resume', 'web', '--wait', '--output', 'json']));
    expect(resumed.code).toBe(0);
    expect(await liveColor(pipeline)).toBe('purple');
    expect((await target())?.suspended).toBe(false);
  });
});

describe('a push right after a rollback', () => {
  it('does not cancel the rollback: the rollback is applied, the push is not', async () => {
    const rollback = await runCli(['rollback', 'web', '--to', 'previous', '--output', 'json']);
    expect(rollback.code).toBe(0);
    const { pinned } = JSON.parse(rollback.stdout) as { pinned: Array<{ cluster: string; revision: string }> };
    expect(pinned).toEqual([{ cluster: 'sandbox', revision: commits.red }]);
    // The webhook claims the target for the new commit before the rollback job has run.
    commits.orange = await pipeline.repo.commit(webApp('orange'));
    await pipeline.push(commits.purple, commits.orange, { modified: ['apps/web/config.yaml'] });
    expect((await target())?.requestedRevision).toBe(commits.orange);
    const statusOf = () => pipeline.github.statuses.find((status) => status.sha === commits.orange && status.context === 'driftless/web@sandbox');
    await pipeline.work(async () => statusOf() !== undefined && (await target())?.revision === commits.red);
    expect(await liveColor(pipeline)).toBe('red');
    expect(statusOf()?.state).toBe('failure');
    expect(await target()).toMatchObject({ revision: commits.red, requestedRevision: commits.red, pinnedRevision: commits.red });
  });
});

describe('driftless clusters and cluster check', () => {
  it('clusters lists every registered cluster with how it is reached and its labels', async () => {
    const result = await runCli(['clusters', '--output', 'json']);
    expect(result.code).toBe(0);
    const clusters = JSON.parse(result.stdout) as Array<{ name: string; access: string; labels: Record<string, string>; apps: number; lastContact?: string }>;
    expect(clusters.map((cluster) => cluster.name).sort()).toEqual(['gone', 'prod-eu', 'sandbox', 'staging']);
    expect(clusters.find((cluster) => cluster.name === 'sandbox')).toMatchObject({
      access: 'kubeconfig context sandbox',
      apps: 1,
      lastContact: expect.any(String),
    });
    expect(clusters.find((cluster) => cluster.name === 'gone')).toMatchObject({ labels: { env: 'dev' }, apps: 0 });
    expect(clusters.find((cluster) => cluster.name === 'prod-eu')?.access).toBe('eks prod-eu (eu-west-1)');
  });

  it('cluster check sandbox passes every step', async () => {
    const result = await runCli(['cluster', 'check', 'sandbox']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ kubeconfig/);
    expect(result.stdout).toMatch(/✓ \/version\s+Kubernetes v1\./);
    expect(result.stdout).toMatch(/✓ list namespaces\s+\d+ namespaces/);
    expect(result.stdout).toMatch(/Cluster sandbox is reachable/);
  });

  it('cluster check says which step fails and why', async () => {
    const gone = await runCli(['cluster', 'check', 'gone', '--output', 'json']);
    expect(gone.code).toBe(1);
    const check = JSON.parse(gone.stdout) as { ok: boolean; steps: Array<{ step: string; ok: boolean; detail: string }> };
    expect(check.steps.map((step) => [step.step, step.ok])).toEqual([
      ['kubeconfig', true],
      ['/version', false],
    ]);
    expect(check.steps[1].detail).toMatch(/ECONNREFUSED.*is the API server up and reachable/);

    const missing = await runCli(['cluster', 'check', 'prod-eu']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/✗ DescribeCluster\s+EKS cluster "prod-eu" in eu-west-1: not found \(check the name, region and account\)/);

    const creating = await runCli(['cluster', 'check', 'staging']);
    expect(creating.code).toBe(1);
    expect(creating.stdout).toMatch(/has no API endpoint yet \(status CREATING\)/);

    const unknown = await runCli(['cluster', 'check', 'sandbx']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no cluster "sandbx": did you mean sandbox\?/);
  });
});
