// A gate's wake-up: SQS FIFO has no per-message delay, so a timer is a `rollout` message with
// `dueAt`, in a FIFO group of its own, sent back to the queue by its visibility timeout (a
// RetryableJobError asking for the wait, at most 15 minutes) until it is due, then it sends the
// step to the set's group. Before its message runs out of receives (maxReceiveCount) a fresh one
// takes over; a timer of a superseded rollout is dropped. Real queue (fauxqs) and table (dynalite).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { ApplicationSetSpec } from '../../shared/appset/types.ts';
import type { RolloutJob } from '../../shared/queue/job.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import type { WorkerDependencies } from '../../shared/worker/dependencies.ts';
import { RetryableJobError } from '../../shared/worker/errors.ts';
import { runRollout } from '../../shared/worker/rollout-job.ts';
import { awsClientConfig } from '../support/aws.ts';
import { drain } from '../queue/queues.ts';

const SHA = 'a'.repeat(40);
const NOW = new Date('2026-12-01T12:00:00.000Z');

const set: ApplicationSetSpec = {
  name: 'shop',
  source: 'argo',
  goTemplate: false,
  goTemplateOptions: [],
  generators: [],
  template: {},
  applicationsSync: 'sync',
  preserveResourcesOnDeletion: false,
  strategy: { type: 'RollingSync', steps: [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }], soakMs: 3_600_000 }] },
  definedIn: { file: 'driftless/shop.yaml' },
};

let services: LocalServices;
let store: DynamoStateStore;
let deps: WorkerDependencies;

beforeAll(async () => {
  services = await startLocalServices();
  store = new DynamoStateStore({ client: new DynamoDBClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_DYNAMODB)), tableName: services.env.STATE_TABLE });
  await store.putRegistry({ apps: [], clusters: [], projects: [], applicationSets: [set] }, 'c'.repeat(40));
  const at = NOW.toISOString();
  await store.putRollout({ set: 'shop', id: SHA, status: 'waiting', step: 0, steps: 1, trigger: 'push', startedAt: at, updatedAt: at }, undefined);
  deps = {
    store,
    queue: new SqsJobQueue({ client: services.sqs, queueUrl: services.queueUrl }),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    maxReceiveCount: 10,
    now: () => NOW,
  } as unknown as WorkerDependencies;
});
afterAll(async () => {
  await services?.stop();
});

/** Every message on the queue now (deleted as read), with its FIFO group. */
async function drained(): Promise<Array<{ group: string; job: RolloutJob }>> {
  return (await drain(services.sqs, services.queueUrl)).map((message) => ({
    group: message.Attributes?.MessageGroupId ?? '',
    job: JSON.parse(message.Body ?? '{}') as RolloutJob,
  }));
}

const timer = (dueInMs: number, id = SHA): RolloutJob => ({
  kind: 'rollout',
  set: 'shop',
  id,
  reason: 'timer',
  trigger: 'push',
  enqueuedAt: NOW.toISOString(),
  dueAt: new Date(NOW.getTime() + dueInMs).toISOString(),
});
const received = (receiveCount: number) => ({ receiveCount, remainingMs: () => 60_000 });

beforeEach(async () => {
  await drained();
});

describe('a rollout timer', () => {
  it('not due yet: back to the queue for the time left', async () => {
    const error = await runRollout(timer(30_000), received(1), deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryableJobError);
    expect((error as RetryableJobError).retryAfterSeconds).toBe(30);
  });

  it('due in hours: back for at most 15 minutes a receive', async () => {
    const error = (await runRollout(timer(2 * 3_600_000), received(1), deps).catch((caught: unknown) => caught)) as RetryableJobError;
    expect(error.retryAfterSeconds).toBe(900);
  });

  it('about to run out of receives: a fresh timer for the same time takes over, in a group of its own', async () => {
    const job = timer(2 * 3_600_000);
    expect(await runRollout(job, received(9), deps)).toBe('rollout');
    const sent = await drained();
    expect(sent).toEqual([{ group: `_rollout-timer@shop@${Date.parse(job.dueAt!)}`, job: { ...job, hop: 1 } }]);
  });

  it("due: the step goes to the set's group", async () => {
    expect(await runRollout(timer(-1), received(3), deps)).toBe('rollout');
    const sent = await drained();
    expect(sent).toEqual([
      { group: '_rollout@shop', job: { kind: 'rollout', set: 'shop', id: SHA, reason: 'timer', trigger: 'push', enqueuedAt: NOW.toISOString() } },
    ]);
  });

  it('of a superseded rollout: dropped, due or not', async () => {
    const older = 'b'.repeat(40);
    expect(await runRollout(timer(30_000, older), received(1), deps)).toBe('skipped');
    expect(await runRollout(timer(-1, older), received(1), deps)).toBe('skipped');
    expect(await drained()).toEqual([]);
  });
});
