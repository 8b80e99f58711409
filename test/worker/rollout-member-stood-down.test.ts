// A sync a rollout started that stands down before it syncs — its app left the registry, or the
// target was suspended after the rollout requested it — never reaches finish. The rollout is
// told all the same (a `member` step in the set's group), so its step does not wait on it unseen
// until the rollout's own re-check. State in dynalite, queue in fauxqs.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { Job, SyncJob } from '../../shared/queue/job.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import type { WorkerDependencies } from '../../shared/worker/dependencies.ts';
import { runJob } from '../../shared/worker/run-job.ts';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { awsClientConfig } from '../support/aws.ts';
import { drain } from '../queue/queues.ts';

const SHA = 'a'.repeat(40);
let services: LocalServices;
let store: DynamoStateStore;
let deps: WorkerDependencies;

beforeAll(async () => {
  services = await startLocalServices();
  store = new DynamoStateStore({ client: new DynamoDBClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_DYNAMODB)), tableName: services.env.STATE_TABLE });
  const registry = parseRegistryFiles([
    {
      file: 'driftless/clusters.yaml',
      text: 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: dev }\nspec:\n  kubeconfig: { context: dev }\n',
    },
    {
      file: 'driftless/web.yaml',
      text: 'apiVersion: driftless.io/v1alpha1\nkind: Application\nmetadata: { name: web-dev }\nspec:\n  source: { repoURL: https://github.com/acme/gitops.git, path: apps/web }\n  destination: { name: dev, namespace: web }\n  syncPolicy: { automated: {} }\n',
    },
  ]);
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

/** Every message on the queue now (deleted as read), with its FIFO group. */
async function drained(): Promise<Array<{ group: string; job: Job }>> {
  return (await drain(services.sqs, services.queueUrl)).map((message) => ({
    group: message.Attributes?.MessageGroupId ?? '',
    job: JSON.parse(message.Body ?? '{}') as Job,
  }));
}

const sync = (app: string): SyncJob => ({
  kind: 'sync',
  app,
  cluster: 'dev',
  revision: SHA,
  ref: 'main',
  trigger: 'push',
  enqueuedAt: '2026-12-01T12:00:00.000Z',
  rollout: { set: 'web', id: SHA },
});
const context = { receiveCount: 1, remainingMs: () => 60_000 };

it('tells the rollout when its sync stands down for a suspended target', async () => {
  await store.requestSync({ app: 'web-dev', cluster: 'dev' }, SHA);
  await store.putTargetState({ app: 'web-dev', cluster: 'dev', suspended: true });
  expect(await runJob(sync('web-dev'), context, deps)).toBe('skipped');
  expect(await drained()).toEqual([
    { group: '_rollout@web', job: expect.objectContaining({ kind: 'rollout', set: 'web', id: SHA, reason: 'member', member: 'web-dev@dev' }) },
  ]);
});

it('tells the rollout when its app left the registry, and says nothing for a sync no rollout started', async () => {
  expect(await runJob(sync('gone'), context, deps)).toBe('skipped');
  const { rollout: _rollout, ...plain } = sync('gone');
  expect(await runJob(plain, context, deps)).toBe('skipped');
  expect((await drained()).map(({ job }) => job.kind === 'rollout' && job.member)).toEqual(['gone@dev']);
});
