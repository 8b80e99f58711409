// The rollout job against the real state table (dynalite) and queue (fauxqs): maxUpdate as a
// percentage bounds how many of a step's targets are requested at once (30% of 10 is 3), the
// next ones start only as earlier ones end, and a step reads its targets in one batched read of
// the step's targets only — never a GetItem per target, never the later steps' targets.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { ApplicationSetSpec } from '../../shared/appset/types.ts';
import type { AppSpec, Registry } from '../../shared/config/types.ts';
import type { DriftlessEvent } from '../../shared/events/event.ts';
import type { CommitStatus } from '../../shared/github/status.ts';
import type { RolloutJob } from '../../shared/queue/job.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import type { WorkerDependencies } from '../../shared/worker/dependencies.ts';
import { runRollout } from '../../shared/worker/rollout-job.ts';
import { awsClientConfig } from '../support/aws.ts';

const REPO = 'https://github.com/acme/gitops.git';
const SHA = 'f'.repeat(40);
const DEV = Array.from({ length: 10 }, (_, index) => `dev-${index}`);
const PROD = Array.from({ length: 5 }, (_, index) => `prod-${index}`);

function app(cluster: string): AppSpec {
  return {
    name: `shop-${cluster}`,
    project: 'default',
    source: { repoURL: REPO, targetRevision: 'main', path: 'apps/shop' },
    destinations: [{ cluster, namespace: 'shop' }],
    syncPolicy: { automated: { prune: true, selfHeal: false, allowEmpty: false }, syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: 'driftless/shop.yaml' },
    applicationSet: 'shop',
    labels: { env: cluster.split('-')[0] },
  };
}

const set: ApplicationSetSpec = {
  name: 'shop',
  source: 'argo',
  goTemplate: false,
  goTemplateOptions: [],
  generators: [],
  template: {},
  applicationsSync: 'sync',
  preserveResourcesOnDeletion: false,
  strategy: {
    type: 'RollingSync',
    steps: [
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }], maxUpdate: '30%' },
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
    ],
  },
  definedIn: { file: 'driftless/shop.yaml' },
};

let services: LocalServices;
let store: DynamoStateStore;
/** What each request to the table asked for: its command and, for a batched read, its keys. */
const requests: Array<{ command: string; keys: string[] }> = [];
const statuses: CommitStatus[] = [];
const events: DriftlessEvent[] = [];
let deps: WorkerDependencies;

beforeAll(async () => {
  services = await startLocalServices();
  const client = new DynamoDBClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_DYNAMODB));
  client.middlewareStack.add(
    (next, context) => (args) => {
      // The base client's command names; keys as the document client passes them (marshalled or not yet).
      const input = args.input as { RequestItems?: Record<string, { Keys?: Array<{ pk?: string | { S?: string } }> }> };
      const batch = Object.values(input.RequestItems ?? {}).flatMap((entry) => entry.Keys ?? []);
      requests.push({ command: context.commandName ?? '', keys: batch.map((key) => String(typeof key.pk === 'string' ? key.pk : key.pk?.S)) });
      return next(args);
    },
    { step: 'initialize', name: 'recordRequests' },
  );
  store = new DynamoStateStore({ client, tableName: services.env.STATE_TABLE });
  const registry: Registry = { apps: [...DEV, ...PROD].map(app), clusters: [], projects: [], applicationSets: [set] };
  await store.putRegistry(registry, 'c'.repeat(40));
  for (const cluster of [...DEV, ...PROD]) await store.markRollout({ app: `shop-${cluster}`, cluster }, { set: 'shop', id: SHA, revision: SHA });
  deps = {
    store,
    queue: new SqsJobQueue({ client: services.sqs, queueUrl: services.queueUrl }),
    statuses: { post: async (status: CommitStatus) => void statuses.push(status) },
    events: { emit: async (emitted: DriftlessEvent[]) => void events.push(...emitted) },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    owner: 'test',
    maxReceiveCount: 10,
  } as unknown as WorkerDependencies;
});
afterAll(async () => {
  await services?.stop();
});

const job = (reason: RolloutJob['reason']): RolloutJob => ({
  kind: 'rollout',
  set: 'shop',
  id: SHA,
  reason,
  trigger: 'push',
  ref: 'main',
  repoURL: REPO,
  enqueuedAt: new Date().toISOString(),
});
const context = { receiveCount: 1, remainingMs: () => 60_000 };

async function requested(clusters: string[]): Promise<string[]> {
  const targets = await store.getTargets(clusters.map((cluster) => ({ app: `shop-${cluster}`, cluster })));
  return clusters.filter((cluster) => targets.get(`shop-${cluster}@${cluster}`)?.requestedRevision === SHA);
}

/** The sync of `cluster` ended Synced and Healthy at the commit, as the worker records it. */
async function synced(cluster: string): Promise<void> {
  const ref = { app: `shop-${cluster}`, cluster };
  const start = await store.beginSync(ref, SHA);
  if (!start.started) throw new Error(`${cluster}: not requested at the commit`);
  const at = new Date().toISOString();
  await store.recordSync({
    ...ref,
    seq: start.seq,
    revision: SHA,
    status: 'Synced',
    health: 'Healthy',
    message: 'ok',
    startedAt: at,
    finishedAt: at,
    durationMs: 1,
  });
}

describe('a rollout step against the state table', () => {
  it("start 30% of the first step's 10 targets, reading targets only in batches", async () => {
    requests.length = 0;
    expect(await runRollout(job('start'), context, deps)).toBe('rollout');
    expect(await requested(DEV)).toEqual(['dev-0', 'dev-1', 'dev-2']);
    expect(await requested(PROD)).toEqual([]);
    const targetGets = requests.filter((request) => request.command === 'GetItemCommand');
    // The registry's head and the rollout item; never a target's.
    expect(targetGets.length).toBeLessThanOrEqual(3);
    expect(requests.some((request) => request.command === 'BatchGetItemCommand')).toBe(true);
    expect(statuses.filter((status) => status.sha === SHA && status.state === 'pending').map((status) => status.context)).toContain(
      'driftless/shop-prod-4@prod-4',
    );
  });

  it("start the next ones only as earlier ones end; a step reads its own targets, not the later step's", async () => {
    await synced('dev-0');
    requests.length = 0;
    await runRollout({ ...job('member'), member: 'shop-dev-0@dev-0' }, context, deps);
    expect(await requested(DEV)).toEqual(['dev-0', 'dev-1', 'dev-2', 'dev-3']);
    const read = requests.filter((request) => request.command === 'BatchGetItemCommand').flatMap((request) => request.keys);
    expect([...new Set(read)].sort()).toEqual(DEV.map((cluster) => `TARGET#shop-${cluster}@${cluster}`).sort());
    expect(requests.filter((request) => request.command === 'GetItemCommand').length).toBeLessThanOrEqual(3);
  });

  it('move to the next step once every target of the first is Synced and Healthy at the commit', async () => {
    // Each round: the syncs under way end, and their ends wake the rollout (at most 3 at a time: four rounds for ten).
    for (let round = 0; (await store.getRollout('shop'))?.step === 0; round++) {
      if (round === 5) throw new Error('the first step never completed');
      for (const cluster of await requested(DEV)) if ((await store.getTarget(`shop-${cluster}`, cluster))?.revision !== SHA) await synced(cluster);
      await runRollout(job('member'), context, deps);
    }
    expect(await store.getRollout('shop')).toMatchObject({ status: 'running', step: 1 });
    expect(await requested(PROD)).toEqual(PROD);
    expect(events.map((event) => event.detailType)).toEqual(['Rollout Started', 'Rollout Step Completed']);
  });
});
