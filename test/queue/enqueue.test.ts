import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues } from '../../local/create-queues.ts';
import { EnqueueError } from '../../shared/queue/errors.ts';
import type { SyncJob } from '../../shared/queue/job.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { awsClientConfig, countCommands } from '../support/aws.ts';
import { drain, job } from './queues.ts';

describe('SqsJobQueue.enqueue', () => {
  let services: LocalServices;
  let queueCount = 0;
  beforeAll(async () => {
    services = await startLocalServices();
  });
  afterAll(() => services.stop());

  async function setup() {
    const client = new SQSClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_SQS));
    const counts = countCommands(client);
    const { queueUrl } = await createQueues(client, `sync-jobs-${++queueCount}`);
    return { client, counts, queueUrl, queue: new SqsJobQueue({ client, queueUrl }) };
  }

  it('sends 25 jobs in 3 batches and all of them arrive', async () => {
    const { client, counts, queueUrl, queue } = await setup();
    const jobs = Array.from({ length: 25 }, (_, i) => job(`app-${i}`, 'prod', 'a'.repeat(40)));
    const enqueued = await queue.enqueue(jobs);
    expect(counts.get('SendMessageBatchCommand')).toBe(3);
    expect(enqueued.map((entry) => entry.job)).toEqual(jobs);
    expect(enqueued.every((entry) => entry.messageId !== '')).toBe(true);
    const received = await drain(client, queueUrl);
    expect(received.map((message) => (JSON.parse(message.Body ?? '') as SyncJob).app).sort()).toEqual(jobs.map((j) => j.app).sort());
  });

  it('enqueues the same push of the same commit once', async () => {
    const { client, queueUrl, queue } = await setup();
    const push = job('shop', 'prod', 'b'.repeat(40), { deliveryId: 'delivery-1' });
    await queue.enqueue([push]);
    await queue.enqueue([{ ...push, deliveryId: 'delivery-1-redelivered', enqueuedAt: '2025-06-01T12:00:09.000Z' }]);
    await queue.enqueue([job('shop', 'prod', 'c'.repeat(40))]);
    const received = await drain(client, queueUrl);
    expect(received.map((message) => (JSON.parse(message.Body ?? '') as SyncJob).revision)).toEqual(['b'.repeat(40), 'c'.repeat(40)]);
  });

  it("keeps the order of one target's jobs across parallel batches", async () => {
    const { client, queueUrl, queue } = await setup();
    // The network is slow on the first call: a later batch must not overtake it.
    let calls = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        if (calls++ === 0) await new Promise((resolve) => setTimeout(resolve, 200));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'slowFirstCall' },
    );
    // Target "web@prod" gets a job in every batch, interleaved with other targets.
    const jobs: SyncJob[] = [];
    for (let i = 0; i < 40; i++) jobs.push(i % 4 === 0 ? job('web', 'prod', `rev-${i}`, { trigger: 'manual' }) : job(`other-${i}`, 'prod', `rev-${i}`));
    await queue.enqueue(jobs);
    const received = await drain(client, queueUrl);
    const web = received.map((message) => JSON.parse(message.Body ?? '') as SyncJob).filter((j) => j.app === 'web');
    expect(web.map((j) => j.revision)).toEqual(jobs.filter((j) => j.app === 'web').map((j) => j.revision));
    expect(received.find((message) => message.Body?.includes('"web"'))?.Attributes?.MessageGroupId).toBe('web@prod');
  });

  it('hashes a group id longer than SQS allows, the same way every time', async () => {
    const { client, queueUrl, queue } = await setup();
    const app = 'a'.repeat(130);
    await queue.enqueue([job(app, 'prod', 'd'.repeat(40))]);
    await queue.enqueue([job(app, 'prod', 'd'.repeat(40))]);
    const received = await drain(client, queueUrl);
    expect(received).toHaveLength(1);
    expect(received[0].Attributes?.MessageGroupId).toMatch(/^[0-9a-f]{64}$/);
    expect(received[0].Attributes?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('retries an entry SQS reported as failed once, under the same deduplication id', async () => {
    const { client, counts, queueUrl, queue } = await setup();
    // SQS accepted the entry but its answer said otherwise (as after a lost response part):
    // the retry must not produce a second message.
    let reported = false;
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const output = result.output as { Successful?: Array<{ Id?: string }>; Failed?: unknown[] };
        if (!reported && output.Successful && output.Successful.length > 1) {
          reported = true;
          const [first, ...rest] = output.Successful;
          output.Successful = rest;
          output.Failed = [{ Id: first.Id, SenderFault: false, Code: 'InternalError', Message: 'try again' }];
        }
        return result;
      },
      { step: 'initialize', name: 'reportOneFailure' },
    );
    const jobs = [job('one', 'prod', 'e'.repeat(40)), job('two', 'prod', 'e'.repeat(40))];
    await queue.enqueue(jobs);
    expect(counts.get('SendMessageBatchCommand')).toBe(2);
    expect((await drain(client, queueUrl)).map((message) => (JSON.parse(message.Body ?? '') as SyncJob).app).sort()).toEqual(['one', 'two']);
  });

  it('throws naming every job it could not send', async () => {
    const { client, counts } = await setup();
    const queue = new SqsJobQueue({ client, queueUrl: `${services.env.AWS_ENDPOINT_URL_SQS}/000000000000/missing.fifo` });
    const jobs = Array.from({ length: 12 }, (_, i) => job(`app-${i}`, 'prod', 'f'.repeat(40)));
    const error = await queue.enqueue(jobs).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(EnqueueError);
    expect((error as EnqueueError).failed.map((failure) => failure.job)).toEqual(jobs);
    expect((error as EnqueueError).sent).toBe(0);
    // Two batches, each tried twice.
    expect(counts.get('SendMessageBatchCommand')).toBe(4);
  });
});
