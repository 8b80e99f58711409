// Creates the sync-jobs FIFO queue and its dead-letter queue for local mode and tests; in AWS
// the SyncPipeline construct owns them.
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface CreateQueuesOptions {
  /** Receives before a message moves to the DLQ. */
  maxReceiveCount?: number;
  visibilityTimeoutSeconds?: number;
}

export interface JobQueues {
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  dlqArn: string;
}

export async function createQueues(client: SQSClient, name: string, options: CreateQueuesOptions = {}): Promise<JobQueues> {
  const dlq = await createFifo(client, `${name}-dlq.fifo`, {});
  // Deduplication comes from our ids (job.ts): content-based would merge a self-heal with its push.
  const main = await createFifo(client, `${name}.fifo`, {
    VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 30),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: options.maxReceiveCount ?? 5 }),
  });
  return { queueUrl: main.url, queueArn: main.arn, dlqUrl: dlq.url, dlqArn: dlq.arn };
}

async function createFifo(client: SQSClient, queueName: string, attributes: Record<string, string>): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({ QueueName: queueName, Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false', ...attributes } }),
  );
  const url = QueueUrl ?? '';
  return { url, arn: await queueArn(client, url) };
}

export async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  return Attributes?.QueueArn ?? '';
}
