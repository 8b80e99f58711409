// Helpers for queue tests: jobs, a request counter on the real SQS client, and draining a queue.
import { DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SyncJob } from '../../shared/queue/job.ts';

export function job(app: string, cluster: string, revision: string, overrides: Partial<SyncJob> = {}): SyncJob {
  return { app, cluster, revision, reason: 'push', enqueuedAt: '2025-06-01T12:00:00.000Z', ...overrides };
}

/** Counts the commands the client sends, by name (e.g. `SendMessageBatchCommand`). */
export function countCommands(client: SQSClient): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return counts;
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
