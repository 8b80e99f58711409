// A newer commit's rollout supersedes the set's rollout in progress (state table in dynalite,
// queue in fauxqs): the new one starts from the first step; the old one's targets not started yet
// are carried into it — following the new commit when their app tracks the pushed repository and
// branch (as an app of apps' wave plan carries its children), keeping their own commit when it
// is another repository's — and the old rollout's later step jobs are dropped.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { ApplicationSetSpec } from '../../shared/appset/types.ts';
import type { AppSpec, Registry } from '../../shared/config/types.ts';
import type { RolloutJob } from '../../shared/queue/job.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import type { WorkerDependencies } from '../../shared/worker/dependencies.ts';
import { runRollout } from '../../shared/worker/rollout-job.ts';
import { awsClientConfig } from '../support/aws.ts';

const REPO = 'https://github.com/acme/gitops.git';
const CHARTS = 'https://github.com/acme/charts.git';
const OLD = '1'.repeat(40);
const NEW = '2'.repeat(40);
const CHARTS_SHA = '3'.repeat(40);
const AT = '2026-12-01T12:00:00.000Z';

function app(name: string, env: string, repoURL = REPO): AppSpec {
  return {
    name,
    project: 'default',
    source: { repoURL, targetRevision: 'main', path: 'apps/guestbook' },
    destinations: [{ cluster: env, namespace: name }],
    syncPolicy: { automated: { prune: true, selfHeal: false, allowEmpty: false }, syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: 'driftless/guestbook.yaml' },
    applicationSet: 'guestbook',
    labels: { env },
  };
}

const set: ApplicationSetSpec = {
  name: 'guestbook',
  source: 'argo',
  goTemplate: false,
  goTemplateOptions: [],
  generators: [],
  template: {},
  applicationsSync: 'sync',
  preserveResourcesOnDeletion: false,
  strategy: {
    type: 'RollingSync',
    steps: [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }],
  },
  definedIn: { file: 'driftless/guestbook.yaml' },
};

let services: LocalServices;
let store: DynamoStateStore;
let deps: WorkerDependencies;

beforeAll(async () => {
  services = await startLocalServices();
  store = new DynamoStateStore({ client: new DynamoDBClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_DYNAMODB)), tableName: services.env.STATE_TABLE });
  const registry: Registry = {
    apps: [app('gb-dev', 'dev'), app('gb-prod', 'prod'), app('cache-prod', 'prod', CHARTS)],
    clusters: [],
    projects: [],
    applicationSets: [set],
  };
  await store.putRegistry(registry, 'c'.repeat(40));
  deps = {
    store,
    queue: new SqsJobQueue({ client: services.sqs, queueUrl: services.queueUrl }),
    statuses: { post: async () => {} },
    events: { emit: async () => {} },
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    owner: 'test',
    maxReceiveCount: 10,
  } as unknown as WorkerDependencies;
});
afterAll(async () => {
  await services?.stop();
});

const start = (id: string): RolloutJob => ({
  kind: 'rollout',
  set: 'guestbook',
  id,
  reason: 'start',
  trigger: 'push',
  ref: 'main',
  repoURL: REPO,
  enqueuedAt: AT,
});
const context = { receiveCount: 1, remainingMs: () => 60_000 };

it("start the newer commit from step 1, carry the old one's waiting targets, drop the old one's jobs", async () => {
  // The older commit's rollout: dev under way at OLD, both prod targets waiting for step 2
  // (gb-prod at OLD, cache-prod at its own repository's commit).
  await store.markRollout({ app: 'gb-dev', cluster: 'dev' }, { set: 'guestbook', id: OLD, revision: OLD });
  await store.markRollout({ app: 'gb-prod', cluster: 'prod' }, { set: 'guestbook', id: OLD, revision: OLD });
  await store.markRollout({ app: 'cache-prod', cluster: 'prod' }, { set: 'guestbook', id: OLD, revision: CHARTS_SHA });
  await runRollout(start(OLD), context, deps);
  expect(await store.getRollout('guestbook')).toMatchObject({ id: OLD, status: 'running', step: 0 });
  expect((await store.getTarget('gb-dev', 'dev'))?.requestedRevision).toBe(OLD);

  // The newer push touches the guestbook folder: the webhook marks dev (the prod targets are
  // marked by the rollout as carried).
  await store.markRollout({ app: 'gb-dev', cluster: 'dev' }, { set: 'guestbook', id: NEW, revision: NEW });
  expect(await runRollout(start(NEW), context, deps)).toBe('rollout');

  expect(await store.getRollout('guestbook')).toMatchObject({ id: NEW, status: 'running', step: 0 });
  expect((await store.getTarget('gb-dev', 'dev'))?.requestedRevision).toBe(NEW);
  expect((await store.getTarget('gb-prod', 'prod'))?.rollout).toEqual({ set: 'guestbook', id: NEW, revision: NEW });
  expect((await store.getTarget('cache-prod', 'prod'))?.rollout).toEqual({ set: 'guestbook', id: NEW, revision: CHARTS_SHA });
  // Not started yet: step 2 waits for dev at the newer commit.
  expect((await store.getTarget('gb-prod', 'prod'))?.requestedRevision).toBeUndefined();

  // The older rollout's member step (its dev sync ended) is dropped: nothing moves.
  const before = await store.getRollout('guestbook');
  expect(await runRollout({ ...start(OLD), reason: 'member', member: 'gb-dev@dev' }, context, deps)).toBe('skipped');
  expect(await store.getRollout('guestbook')).toEqual(before);
});

it('a start with the id of a rollout that is done starts it again, so a target newly marked at that commit syncs', async () => {
  const SAME = '4'.repeat(40);
  // Finished: every target of the set was at SAME, Synced and Healthy.
  await store.markRollout({ app: 'gb-dev', cluster: 'dev' }, { set: 'guestbook', id: SAME, revision: SAME });
  await runRollout(start(SAME), context, deps);
  const first = await store.getRollout('guestbook');
  expect(first).toMatchObject({ id: SAME, status: 'running', step: 0 });
  await store.putRollout({ ...first!, status: 'done', step: 1 }, first);
  expect(await store.getRollout('guestbook')).toMatchObject({ id: SAME, status: 'done' });
  // A generator refresh at the same config commit marks a (new) prod target with the same id.
  await store.markRollout({ app: 'gb-prod', cluster: 'prod' }, { set: 'guestbook', id: SAME, revision: SAME });
  expect(await runRollout(start(SAME), context, deps)).toBe('rollout');
  expect(await store.getRollout('guestbook')).toMatchObject({ id: SAME, status: 'running', step: 0 });
});
