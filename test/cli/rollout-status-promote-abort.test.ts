// `driftless rollout status | promote | abort` against the state table and the job queue
// (dynalite and fauxqs, local mode's services): the rollouts of two RollingSync sets as the
// rollout engine records them (one item per set, the `rollout` mark on each target), what the
// command prints, what promote and abort write and queue, and the exit codes its help gives.
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { ApplicationSetSpec, RollingSyncStep } from '../../shared/appset/types.ts';
import type { AppSpec, ClusterSpec, Registry } from '../../shared/config/types.ts';
import type { RolloutState } from '../../shared/rollout/types.ts';
import { stateStore } from '../../shared/runtime/environment.ts';
import type { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { runCli } from '../support/cli.ts';

const REPO = 'https://github.com/acme/gitops.git';
const SHA = '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d';
const OLD = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';
const ENVS = ['dev', 'staging', 'prod', 'qa'];

/** A registered app as the registry keeps a generated one: its set and labels recorded (written out: the rollout reads no more of it). */
function generatedApp(name: string, cluster: string, applicationSet: string, labels: Record<string, string>): AppSpec {
  return {
    name,
    project: 'default',
    source: { repoURL: REPO, path: `apps/${name.split('-')[0]}`, targetRevision: 'main' },
    destinations: [{ cluster, namespace: name.split('-')[0] }],
    syncPolicy: { automated: { prune: true, selfHeal: false, allowEmpty: false }, syncOptions: [] },
    ignoreDifferences: [],
    labels,
    applicationSet,
    definedIn: { file: `driftless/${applicationSet}-set.yaml` },
  } as unknown as AppSpec;
}

function cluster(env: string): ClusterSpec {
  return { name: env, kubeconfig: { context: env }, labels: { env }, definedIn: { file: 'driftless/clusters.yaml' } };
}

const byEnv = (env: string): RollingSyncStep['matchExpressions'] => [{ key: 'env', operator: 'In', values: [env] }];

function rollingSet(name: string, steps: RollingSyncStep[]): ApplicationSetSpec {
  return {
    name,
    source: 'argo',
    goTemplate: false,
    goTemplateOptions: [],
    generators: [],
    template: {},
    applicationsSync: 'sync',
    preserveResourcesOnDeletion: false,
    strategy: { type: 'RollingSync', steps },
    definedIn: { file: `driftless/${name}-set.yaml` },
  };
}

const GUESTBOOK_STEPS: RollingSyncStep[] = [
  { matchExpressions: byEnv('dev') },
  { matchExpressions: byEnv('staging'), maxUpdate: 1, soakMs: 10 * 60_000 },
  { matchExpressions: byEnv('prod'), alarms: ['api-5xx'] },
];

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function rollout(set: string, fields: Partial<RolloutState>): RolloutState {
  return { set, id: SHA, status: 'running', step: 0, steps: 3, trigger: 'push', startedAt: minutesAgo(12), updatedAt: minutesAgo(1), ...fields };
}

let services: LocalServices;
let store: DynamoStateStore;

beforeAll(async () => {
  services = await startLocalServices();
  for (const [name, value] of Object.entries(services.env)) vi.stubEnv(name, value);
  vi.stubEnv('USER', 'alice');
  store = stateStore(process.env);
  const registry: Registry = {
    clusters: ENVS.map(cluster),
    projects: [],
    apps: [...ENVS.map((env) => generatedApp(`guestbook-${env}`, env, 'guestbook', { env })), generatedApp('api-dev', 'dev', 'api', { env: 'dev' })],
    applicationSets: [rollingSet('guestbook', GUESTBOOK_STEPS), rollingSet('api', [{ matchExpressions: byEnv('dev') }])],
  };
  await store.putRegistry(registry, 'f'.repeat(40));

  // guestbook: dev and staging are Synced and Healthy at SHA, prod has not started; staging soaks.
  for (const env of ['dev', 'staging', 'prod']) {
    const done = env !== 'prod';
    await store.putTargetState({
      app: `guestbook-${env}`,
      cluster: env,
      revision: done ? SHA : OLD,
      requestedRevision: done ? SHA : OLD,
      syncStatus: 'Synced',
      health: 'Healthy',
    });
    await store.markRollout({ app: `guestbook-${env}`, cluster: env }, { set: 'guestbook', id: SHA, revision: SHA });
  }
  expect(
    await store.putRollout(rollout('guestbook', { status: 'waiting', step: 1, reason: 'soak: 4m 10s left', healthySince: minutesAgo(6) }), undefined),
  ).toBe(true);
  // api: its one step's app failed to sync.
  await store.putTargetState({ app: 'api-dev', cluster: 'dev', revision: OLD, requestedRevision: SHA, syncStatus: 'Failed', health: 'Degraded' });
  await store.markRollout({ app: 'api-dev', cluster: 'dev' }, { set: 'api', id: SHA, revision: SHA });
  expect(
    await store.putRollout(
      rollout('api', { status: 'halted', step: 0, steps: 1, reason: `api-dev@dev failed to sync at ${SHA.slice(0, 7)}`, startedAt: minutesAgo(3) }),
      undefined,
    ),
  ).toBe(true);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await services?.stop();
});

/** The rollout jobs queued since the last call, taken off the queue (nothing works them here; the set's FIFO group is free for the next). */
async function queuedRolloutJobs(): Promise<Array<Record<string, unknown>>> {
  const sqs = new SQSClient({
    endpoint: services.env.AWS_ENDPOINT_URL_SQS,
    region: services.env.AWS_REGION,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  try {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: services.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const message of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: services.queueUrl, ReceiptHandle: message.ReceiptHandle }));
    return Messages.map((message) => JSON.parse(message.Body ?? '{}') as Record<string, unknown>).filter((job) => job.kind === 'rollout');
  } finally {
    sqs.destroy();
  }
}

describe('driftless rollout status', () => {
  it('lists every RollingSync set: commit, step k of n, status, gate or reason, age; exit 1 as one is halted', async () => {
    const result = await runCli(['rollout', 'status']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SET\s+COMMIT\s+STEP\s+STATUS\s+GATE \/ REASON\s+AGE$/);
    expect(lines.slice(1).map((line) => line.split(/\s{2,}/))).toEqual([
      ['api', '1a2b3c4', 'step 1 of 1', 'halted', 'api-dev@dev failed to sync at 1a2b3c4', '3m'],
      ['guestbook', '1a2b3c4', 'step 2 of 3', 'waiting', 'soak: 4m 10s left', '12m'],
    ]);
  });

  it('with SET: the rollout, each step with its counts and gate, the current step’s targets, the apps no step selects', async () => {
    const result = await runCli(['rollout', 'status', 'guestbook']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text).toContain('ApplicationSet guestbook: rollout of 1a2b3c4 (push), started 12m ago');
    expect(text).toContain('Status: waiting at step 2 of 3: soak: 4m 10s left');
    const rows = text
      .split('\n')
      .filter((line) => /^\d\s/.test(line))
      .map((line) => line.split(/\s{2,}/));
    expect(rows).toEqual([
      ['1', 'env In [dev]', '1', '1', '0', '0', '0'],
      ['2', 'env In [staging]', '1', '1', '1', '0', '0', '0', 'soak 10m'],
      ['3', 'env In [prod]', '1', '0', '0', '0', '1', 'alarms api-5xx'],
    ]);
    expect(text).toMatch(
      /Step 2's targets:\nAPP\s+CLUSTER\s+REVISION\s+PHASE\s+STATUS\s+HEALTH\nguestbook-staging\s+staging\s+1a2b3c4\s+done\s+Synced\s+Healthy\n/,
    );
    expect(text).toContain('In no step (left out of rollouts, synced by hand): guestbook-qa@qa');
  });

  it('--output json gives the views as the operations return them', async () => {
    const all = await runCli(['rollout', 'status', '--output', 'json']);
    expect(all.code).toBe(1);
    const views = JSON.parse(all.stdout) as Array<{ set: string; state?: RolloutState }>;
    expect(views.map((view) => [view.set, view.state?.status, view.state?.step])).toEqual([
      ['api', 'halted', 0],
      ['guestbook', 'waiting', 1],
    ]);
    const one = await runCli(['rollout', 'status', 'guestbook', '-o', 'json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({
      set: 'guestbook',
      state: { id: SHA, status: 'waiting', step: 1, steps: 3 },
      steps: [
        { number: 1, done: 1 },
        { number: 2, done: 1, soakMs: 600_000 },
        { number: 3, pending: 1, alarms: ['api-5xx'] },
      ],
      current: [{ app: 'guestbook-staging', cluster: 'staging', revision: SHA, phase: 'done' }],
      unselected: ['guestbook-qa@qa'],
    });
  });

  it('an unknown set is exit 2, naming the sets there are', async () => {
    const result = await runCli(['rollout', 'status', 'guestbok']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^driftless rollout status: no ApplicationSet guestbok .*api, guestbook/);
  });

  it('bad usage is exit 2', async () => {
    for (const args of [
      ['rollout'],
      ['rollout', 'resume', 'guestbook'],
      ['rollout', 'promote'],
      ['rollout', 'abort'],
      ['rollout', 'status', 'a', 'b'],
      ['rollout', 'status', '-o', 'yaml'],
    ]) {
      const result = await runCli(args);
      expect([args.join(' '), result.code]).toEqual([args.join(' '), 2]);
      expect(result.stderr).toMatch(/^driftless rollout/);
    }
  });

  it('--help says what the exit codes are', async () => {
    const result = await runCli(['rollout', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: driftless rollout status \[SET\]/);
    expect(result.stdout).toMatch(/1 when a rollout shown is halted/);
  });
});

describe('driftless apps in a rollout', () => {
  it('shows each target’s step k of n with its gate, the halt or the step it waits for; --output json carries it', async () => {
    const result = await runCli(['apps']);
    // api-dev's sync failed: apps says so with exit 1, as it always has.
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^APP\s+CLUSTER\s+REVISION\s+STATUS\s+HEALTH\s+DRIFT\s+ROLLOUT\s+LAST SYNC\s+MESSAGE$/);
    const rollout = lines[0].indexOf('ROLLOUT');
    const lastSync = lines[0].indexOf('LAST SYNC');
    const column = Object.fromEntries(lines.slice(1).map((line) => [line.split(/\s+/).slice(0, 2).join('@'), line.slice(rollout, lastSync).trim()]));
    expect(column).toEqual({
      'api-dev@dev': 'step 1 of 1 (halted at step 1: api-dev@dev failed to sync at 1a2b3c4)',
      'guestbook-dev@dev': 'step 1 of 3',
      'guestbook-prod@prod': 'step 3 of 3 (waits for step 2)',
      'guestbook-qa@qa': '',
      'guestbook-staging@staging': 'step 2 of 3 (soak: 4m 10s left)',
    });
    const json = JSON.parse((await runCli(['apps', '--output', 'json'])).stdout) as Array<{ app: string; rollout?: unknown }>;
    expect(Object.fromEntries(json.map((row) => [row.app, row.rollout]))).toEqual({
      'api-dev': { set: 'api', step: 1, steps: 1, gate: 'halted at step 1: api-dev@dev failed to sync at 1a2b3c4' },
      'guestbook-dev': { set: 'guestbook', step: 1, steps: 3 },
      'guestbook-prod': { set: 'guestbook', step: 3, steps: 3, gate: 'waits for step 2' },
      'guestbook-qa': undefined,
      'guestbook-staging': { set: 'guestbook', step: 2, steps: 3, gate: 'soak: 4m 10s left' },
    });
  });
});

describe('driftless rollout promote', () => {
  it('refuses a rollout that is not at a gate (exit 2), saying what it is doing', async () => {
    const result = await runCli(['rollout', 'promote', 'api']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^driftless rollout promote: rollout of api is not at a gate: it is halted at step 1 of 1: api-dev@dev failed to sync/);
    expect((await store.getRollout('api'))?.promoted).toBeUndefined();
  });

  it('skips the gate the rollout waits at: recorded on the rollout with who asked, and a promote step queued', async () => {
    const result = await runCli(['rollout', 'promote', 'guestbook']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Promoted guestbook: the gate of step 2 of 3 is skipped; the next step starts (rollout of 1a2b3c4).\n');
    expect(await store.getRollout('guestbook')).toMatchObject({ promoted: 1, by: 'alice (driftless CLI)', id: SHA });
    expect(await queuedRolloutJobs()).toEqual([expect.objectContaining({ kind: 'rollout', set: 'guestbook', id: SHA, reason: 'promote' })]);
  });

  it('an unknown set is exit 2', async () => {
    const result = await runCli(['rollout', 'promote', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no ApplicationSet nope/);
  });
});

describe('driftless rollout abort', () => {
  it('stops the rollout: aborted by who asked, an abort step queued, and status says so', async () => {
    const result = await runCli(['rollout', 'abort', 'guestbook', '--output', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ set: 'guestbook', status: 'aborted', by: 'alice (driftless CLI)' });
    expect(await queuedRolloutJobs()).toEqual([expect.objectContaining({ kind: 'rollout', set: 'guestbook', reason: 'abort' })]);
    const status = await runCli(['rollout', 'status']);
    expect(
      status.stdout
        .split('\n')
        .find((line) => line.startsWith('guestbook'))
        ?.split(/\s{2,}/),
    ).toEqual(['guestbook', '1a2b3c4', 'step 2 of 3', 'aborted', 'aborted by alice (driftless CLI)', '12m']);
  });

  it('refuses to abort a rollout that is over (exit 2)', async () => {
    const result = await runCli(['rollout', 'abort', 'guestbook']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/rollout of guestbook is aborted by alice \(driftless CLI\): nothing to abort/);
  });
});

describe('formatRollout', () => {
  it('says a finished rollout is done with all its steps, and a set never rolled out has no rollout yet', async () => {
    const { formatRollout } = await import('../../cli/commands/rollout.ts');
    const { palette } = await import('../../cli/ops/output.ts');
    const steps = GUESTBOOK_STEPS.map((step, index) => ({
      number: index + 1,
      selector: `env In [${ENVS[index]}]`,
      targets: 1,
      done: 1,
      syncing: 0,
      failed: 0,
      pending: 0,
    }));
    const done = formatRollout(
      { set: 'guestbook', state: rollout('guestbook', { status: 'done', step: 2 }), steps, current: [], unselected: [] },
      palette(false),
    );
    expect(done.split('\n')[1]).toBe('Status: done, all 3 steps');
    const never = formatRollout({ set: 'guestbook', steps, unselected: [] }, palette(false));
    expect(never.split('\n')[0]).toBe('ApplicationSet guestbook: no rollout yet (no commit has changed its apps since it was registered).');
    expect(never).not.toMatch(/targets:/);
  });
});
