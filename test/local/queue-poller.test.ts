import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueues, type JobQueues } from '../../local/create-queues.ts';
import { pollQueue } from '../../local/queue-poller.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { awsClientConfig } from '../support/aws.ts';
import { drain, job, syncJobIn } from '../queue/queues.ts';

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('pollQueue, the local stand-in for the SQS event source mapping', () => {
  let services: LocalServices;
  let client: SQSClient;
  let queueCount = 0;
  beforeAll(async () => {
    services = await startLocalServices();
    client = new SQSClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_SQS));
  });
  afterAll(() => services.stop());

  async function queues(): Promise<JobQueues> {
    return createQueues(client, `poll-${++queueCount}`, { visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
  }

  /** Runs the poller with `handler` until `done` holds, then stops it. */
  async function poll(
    queueUrl: string,
    handler: (event: SQSEvent) => Promise<SQSBatchResponse | void>,
    done: () => boolean | Promise<boolean>,
    errors: unknown[] = [],
  ) {
    const controller = new AbortController();
    const running = pollQueue({ client, queueUrl, handler, waitSeconds: 1, batchSize: 10, signal: controller.signal, onError: (error) => errors.push(error) });
    try {
      await until(done);
    } finally {
      controller.abort();
      await running;
    }
  }

  it('hands the handler a Lambda-shaped SQS event', async () => {
    const { queueUrl, queueArn } = await queues();
    await new SqsJobQueue({ client, queueUrl }).enqueue([job('shop', 'prod', 'a'.repeat(40))]);
    const records: SQSRecord[] = [];
    await poll(
      queueUrl,
      async (event) => void records.push(...event.Records),
      () => records.length === 1,
    );
    const [record] = records;
    expect(record).toMatchObject({ eventSource: 'aws:sqs', eventSourceARN: queueArn, awsRegion: 'us-east-1' });
    expect(record.attributes).toMatchObject({
      ApproximateReceiveCount: '1',
      MessageGroupId: 'shop@prod',
      MessageDeduplicationId: `shop@prod@${'a'.repeat(40)}`,
    });
    expect(record.attributes.SequenceNumber).toMatch(/^\d+$/);
    expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
    expect(record.messageId).not.toBe('');
    expect(record.receiptHandle).not.toBe('');
    expect(syncJobIn(record.body)).toMatchObject({ app: 'shop', cluster: 'prod' });
  });

  it('deletes the successes, redelivers a failure after the visibility timeout and dead-letters it after maxReceiveCount', async () => {
    const { queueUrl, dlqUrl } = await queues();
    await new SqsJobQueue({ client, queueUrl }).enqueue([
      job('good', 'prod', 'a'.repeat(40)),
      job('bad', 'prod', 'b'.repeat(40)),
      job('fine', 'prod', 'c'.repeat(40)),
    ]);
    const seen: Array<{ app: string; receiveCount: string }> = [];
    const dead: string[] = [];
    await poll(
      queueUrl,
      async (event) => {
        const failures = [];
        for (const record of event.Records) {
          const { app } = syncJobIn(record.body);
          seen.push({ app, receiveCount: record.attributes.ApproximateReceiveCount });
          if (app === 'bad') failures.push({ itemIdentifier: record.messageId });
        }
        return { batchItemFailures: failures };
      },
      async () => {
        dead.push(...(await drain(client, dlqUrl)).map((message) => syncJobIn(message.Body ?? '').app));
        return dead.length > 0;
      },
    );
    expect(dead).toEqual(['bad']);
    expect(seen.filter((entry) => entry.app === 'good')).toEqual([{ app: 'good', receiveCount: '1' }]);
    expect(seen.filter((entry) => entry.app === 'fine')).toEqual([{ app: 'fine', receiveCount: '1' }]);
    expect(seen.filter((entry) => entry.app === 'bad').map((entry) => entry.receiveCount)).toEqual(['1', '2']);
    expect(await drain(client, queueUrl)).toEqual([]);
  });

  it('deletes nothing when the handler throws', async () => {
    const { queueUrl } = await queues();
    await new SqsJobQueue({ client, queueUrl }).enqueue([job('flaky', 'prod', 'a'.repeat(40))]);
    const errors: unknown[] = [];
    let calls = 0;
    await poll(
      queueUrl,
      async () => {
        if (++calls === 1) throw new Error('worker crashed');
      },
      () => calls === 2,
      errors,
    );
    expect(errors).toHaveLength(1);
    expect(await drain(client, queueUrl)).toEqual([]);
  });

  it('fails the whole batch when the handler names a record that is not in it', async () => {
    const { queueUrl } = await queues();
    await new SqsJobQueue({ client, queueUrl }).enqueue([job('one', 'prod', 'a'.repeat(40))]);
    const errors: unknown[] = [];
    const counts: string[] = [];
    await poll(
      queueUrl,
      async (event) => {
        counts.push(event.Records[0].attributes.ApproximateReceiveCount);
        return counts.length === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] } : { batchItemFailures: [] };
      },
      () => counts.length === 2,
      errors,
    );
    expect(counts).toEqual(['1', '2']);
    expect(errors).toHaveLength(1);
  });
});
