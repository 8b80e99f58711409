// `npm start -- --clusters dev,staging,prod` end to end: the example's guestbook ApplicationSet
// (clusters generator, RollingSync by env: dev, staging, prod) deploys to the three sandbox
// clusters, and one commit to apps/guestbook reaches dev first, staging only after dev is
// Synced and Healthy at that commit, and prod only after staging is (Argo CD's Progressive
// Syncs: "All Applications in each group must become Healthy before the ApplicationSet
// controller will proceed to update the next group"; and at this commit, not on a stale status,
// Argo CD #29410). Seen from outside: the worker's commit statuses, the sync history and target
// states in the table, and what real kubectl reads in each cluster's context.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import type { HistoryEntry } from '../../shared/state/types.ts';
import { kubectlFor, type Kubectl } from '../support/kubectl.ts';

const run = promisify(execFile);
const project = new URL('../..', import.meta.url).pathname;
const CLUSTERS = ['dev', 'staging', 'prod'];

let child: ChildProcess;
let output = '';
let dir: string;

async function commit(repo: string, message: string): Promise<string> {
  await run('git', ['-c', 'user.name=test', '-c', 'user.email=test@driftless.invalid', 'commit', '-qam', message], { cwd: repo });
  return (await run('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
}

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
  await writeFile(file, text.replace(from, to));
}

async function greetings(kubectl: Kubectl): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const name of CLUSTERS) {
    const read = await kubectl(['--context', name, 'get', 'configmap', 'guestbook-config', '-n', 'guestbook', '-o', 'jsonpath={.data.greeting}']);
    found[name] = read.stdout;
  }
  return found;
}

function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output);
      if (!match) return false;
      clearInterval(timer);
      clearTimeout(timeout);
      resolve(match);
      return true;
    };
    const timer = setInterval(check, 100);
    const timeout = setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`no ${pattern} in npm start's output within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    check();
  });
}

async function stateStore(): Promise<DynamoStateStore> {
  const endpoints = JSON.parse(await readFile(join(dir, 'state/endpoints.json'), 'utf8')) as Record<string, string>;
  return new DynamoStateStore({
    client: new DynamoDBClient({
      endpoint: endpoints.AWS_ENDPOINT_URL_DYNAMODB,
      region: endpoints.AWS_REGION,
      credentials: { accessKeyId: endpoints.AWS_ACCESS_KEY_ID, secretAccessKey: endpoints.AWS_SECRET_ACCESS_KEY },
    }),
    tableName: endpoints.STATE_TABLE,
  });
}

describe('npm start -- --clusters dev,staging,prod', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'driftless-rollout-local-'));
    child = spawn(
      process.execPath,
      [
        join(project, 'local/start.ts'),
        '--port',
        '0',
        '--clusters',
        CLUSTERS.join(','),
        '--state-dir',
        join(dir, 'state'),
        '--example-dir',
        join(dir, 'example'),
        '--drift-interval',
        '1h',
        '--alarms-file',
        join(dir, 'alarms.json'),
      ],
      { cwd: dir, env: { ...process.env, GITHUB_TOKEN: '', GITHUB_WEBHOOK_SECRET: '' } },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('prints one kubeconfig with a context per cluster, and each cluster', async () => {
    const kubeconfig = (await waitFor(/^kubeconfig: (\S+)$/m, 60_000))[1] as string;
    for (const name of CLUSTERS)
      expect(output).toMatch(new RegExp(`^cluster ${name}: https://127\\.0\\.0\\.1:\\d+ \\(context ${name}, label env=${name}\\)$`, 'm'));
    const kubectl = await kubectlFor(await readFile(kubeconfig, 'utf8'));
    expect((await kubectl(['config', 'get-contexts', '-o', 'name'])).stdout.trim().split('\n').sort()).toEqual([...CLUSTERS].sort());
  }, 90_000);

  it('deploys guestbook to every cluster by the ApplicationSet, and the other apps to the first', async () => {
    for (const name of CLUSTERS) await waitFor(new RegExp(`\\[Sync Succeeded\\] guestbook-${name}@${name}\\b`), 240_000);
    for (const app of ['podinfo', 'redis', 'hello']) await waitFor(new RegExp(`\\[Sync Succeeded\\] ${app}@dev\\b`), 120_000);
    const kubeconfig = (await waitFor(/^kubeconfig: (\S+)$/m, 1_000))[1] as string;
    const kubectl = await kubectlFor(await readFile(kubeconfig, 'utf8'));
    for (const name of CLUSTERS) {
      const deployment = await kubectl(['--context', name, 'get', 'deployment', 'guestbook-ui', '-n', 'guestbook', '-o', 'name']);
      expect(deployment.stdout.trim(), `${name}: ${deployment.stderr}`).toBe('deployment.apps/guestbook-ui');
    }
    // podinfo only where the example sends it.
    expect((await kubectl(['--context', 'dev', 'get', 'deployment', 'dev-podinfo', '-n', 'podinfo', '-o', 'name'])).stdout.trim()).toBe(
      'deployment.apps/dev-podinfo',
    );
    const elsewhere = await kubectl(['--context', 'prod', 'get', 'deployment', 'dev-podinfo', '-n', 'podinfo', '-o', 'name']);
    expect(elsewhere.code).toBe(1);
  }, 400_000);

  it('rolls a commit to apps/guestbook out to dev, then staging once dev is Synced and Healthy at it, then prod', async () => {
    const repo = (await waitFor(/^example repo: (\S+)$/m, 1_000))[1] as string;
    const kubeconfig = (await waitFor(/^kubeconfig: (\S+)$/m, 1_000))[1] as string;
    const file = join(repo, 'apps/guestbook/config.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('greeting: hello', 'greeting: rolled-out'));
    await run('git', ['-c', 'user.name=test', '-c', 'user.email=test@driftless.invalid', 'commit', '-qam', 'guestbook: a new greeting'], { cwd: repo });
    const sha = (await run('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
    const success = (name: string) => new RegExp(`^status success driftless/guestbook-${name}@${name} \\S+@${sha.slice(0, 12)}: Synced, Healthy`, 'm');
    await waitFor(success('prod'), 180_000);
    for (const name of CLUSTERS) expect(output).toMatch(success(name));

    // The table: each cluster's sync of this commit, and when it ran.
    const store = await stateStore();
    const syncs: Record<string, HistoryEntry> = {};
    for (const name of CLUSTERS) {
      const entry = (await store.listHistory(`guestbook-${name}`, name, 10)).find((candidate) => candidate.revision === sha);
      expect(entry, `guestbook-${name}@${name} has a sync of ${sha}`).toBeDefined();
      syncs[name] = entry as HistoryEntry;
      expect([entry?.status, entry?.health]).toEqual(['Synced', 'Healthy']);
      const target = await store.getTarget(`guestbook-${name}`, name);
      expect([target?.revision, target?.syncStatus, target?.health]).toEqual([sha, 'Synced', 'Healthy']);
    }
    // The set's rollout of this commit went through its three steps and finished.
    // The item turns done one step job after prod's status is posted: read until it does.
    const rollout = await vi.waitFor(
      async () => {
        const state = await store.getRollout('guestbook');
        expect(state?.status).toBe('done');
        return state;
      },
      { timeout: 20_000, interval: 250 },
    );
    expect(rollout && { id: rollout.id, status: rollout.status, steps: rollout.steps }).toEqual({ id: sha, status: 'done', steps: 3 });
    const order = CLUSTERS.map((name) => `${name}: ${syncs[name]?.startedAt} → ${syncs[name]?.finishedAt}`).join('\n');
    const at = (name: string, field: 'startedAt' | 'finishedAt') => Date.parse(syncs[name]?.[field] ?? '');
    expect(at('staging', 'startedAt'), order).toBeGreaterThanOrEqual(at('dev', 'finishedAt'));
    expect(at('prod', 'startedAt'), order).toBeGreaterThanOrEqual(at('staging', 'finishedAt'));

    // Each cluster holds the change, written by our field manager, in that order (the API
    // server's managedFields time, in whole seconds).
    const kubectl: Kubectl = await kubectlFor(await readFile(kubeconfig, 'utf8'));
    const written: Record<string, number> = {};
    for (const name of CLUSTERS) {
      const configMap = await kubectl(['--context', name, 'get', 'configmap', 'guestbook-config', '-n', 'guestbook', '-o', 'json', '--show-managed-fields']);
      const object = JSON.parse(configMap.stdout) as { data: Record<string, string>; metadata: { managedFields: Array<{ manager: string; time: string }> } };
      expect(object.data.greeting, name).toBe('rolled-out');
      written[name] = Date.parse(object.metadata.managedFields.find((entry) => entry.manager === 'driftless')?.time ?? '');
    }
    expect(written.dev).toBeLessThanOrEqual(written.staging as number);
    expect(written.staging).toBeLessThanOrEqual(written.prod as number);
  }, 300_000);

  it("halts after dev while the dev step's alarm is ALARM in local mode's alarms file; a newer commit, the alarm OK, goes through", async () => {
    const repo = (await waitFor(/^example repo: (\S+)$/m, 1_000))[1] as string;
    const kubeconfig = (await waitFor(/^kubeconfig: (\S+)$/m, 1_000))[1] as string;
    const alarms = (await waitFor(/^rollout alarms: (\S+)$/m, 1_000))[1] as string;
    expect(alarms).toBe(join(dir, 'alarms.json'));
    expect(JSON.parse(await readFile(alarms, 'utf8'))).toEqual({});
    const kubectl = await kubectlFor(await readFile(kubeconfig, 'utf8'));
    const short = (sha: string) => sha.slice(0, 12);

    // The gate first, in a config commit of its own (the set's apps do not change: nothing rolls out).
    await writeFile(alarms, JSON.stringify({ 'guestbook-dev-errors': 'ALARM' }));
    await edit(
      join(repo, 'driftless/guestbook.yaml'),
      '  name: guestbook\n',
      '  name: guestbook\n  annotations:\n    driftless.io/rollout-alarms.1: guestbook-dev-errors\n',
    );
    const gate = await commit(repo, 'guestbook: dev must be free of errors before staging');
    await waitFor(new RegExp(`^status success driftless/registry \\S+@${short(gate)}: registry:`, 'm'), 60_000);

    await edit(join(repo, 'apps/guestbook/config.yaml'), 'greeting: rolled-out', 'greeting: stopped-after-dev');
    const halted = await commit(repo, 'guestbook: a greeting the alarm stops');
    await waitFor(new RegExp(`^status success driftless/guestbook-dev@dev \\S+@${short(halted)}: Synced, Healthy`, 'm'), 120_000);
    for (const name of ['staging', 'prod'])
      await waitFor(
        new RegExp(
          `^status failure driftless/guestbook-${name}@${name} \\S+@${short(halted)}: not applied: rollout halted at step 1 of 3 \\(env In \\[dev\\]\\): alarm guestbook-dev-errors is ALARM`,
          'm',
        ),
        60_000,
      );
    const store = await stateStore();
    const rollout = await store.getRollout('guestbook');
    expect(rollout && { id: rollout.id, status: rollout.status, step: rollout.step }).toEqual({ id: halted, status: 'halted', step: 0 });
    expect(await greetings(kubectl)).toEqual({ dev: 'stopped-after-dev', staging: 'rolled-out', prod: 'rolled-out' });

    await writeFile(alarms, JSON.stringify({ 'guestbook-dev-errors': 'OK' }));
    await edit(join(repo, 'apps/guestbook/config.yaml'), 'greeting: stopped-after-dev', 'greeting: past-the-alarm');
    const passed = await commit(repo, 'guestbook: the alarm is OK again');
    await waitFor(new RegExp(`^status success driftless/guestbook-prod@prod \\S+@${short(passed)}: Synced, Healthy`, 'm'), 120_000);
    const done = await vi.waitFor(
      async () => {
        const state = await store.getRollout('guestbook');
        expect(state && { id: state.id, status: state.status }).toEqual({ id: passed, status: 'done' });
        return state;
      },
      { timeout: 20_000, interval: 250 },
    );
    expect(done && { id: done.id, status: done.status }).toEqual({ id: passed, status: 'done' });
    expect(await greetings(kubectl)).toEqual({ dev: 'past-the-alarm', staging: 'past-the-alarm', prod: 'past-the-alarm' });
  }, 300_000);
});
