// Helpers for queue tests: jobs, and draining a queue.
import { DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SyncJob } from '../../shared/queue/job.ts';
import { parseJob } from '../../shared/queue/parse.ts';

export function job(app: string, cluster: string, revision: string, overrides: Partial<SyncJob> = {}): SyncJob {
  return { kind: 'sync', app, cluster, revision, trigger: 'push', enqueuedAt: '2025-06-01T12:00:00.000Z', ...overrides };
}

/** The sync job in a message body; anything else fails the test. */
export function syncJobIn(body: string): SyncJob {
  const parsed = parseJob(body);
  if (parsed.kind !== 'sync') throw new Error(`expected a sync job, got ${parsed.kind}`);
  return parsed;
}

/** Receives and deletes until the queue stays empty, in the order SQS hands messages out. */
export async function drain(client: SQSClient, queueUrl: string): Promise<Message[]> {
  const received: Message[] = [];
  for (;;) {
    const { Messages } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }),
    );
    if (!Messages || Messages.length === 0) return received;
    for (const message of Messages) {
      received.push(message);
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}
