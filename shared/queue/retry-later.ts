// Backoff for a failed job. Without it a failed message becomes visible again only after the
// queue's visibility timeout, which must be six times the worker's (30 minutes for a
// 5-minute worker): far too long for a transient error. So the worker shortens it per attempt.
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';

const MAX_DELAY_SECONDS = 15 * 60;

/**
 * The first retry's wait. With the queue's 10 receives the nine waits are 15 s … 4 min, then
 * 8 min and 15 min three times: just over an hour in all (3,645 s), so an outage of the cluster
 * or GitHub that long is ridden out before the job goes to the dead-letter queue.
 */
export const DEFAULT_RETRY_BASE_SECONDS = 15;

/** base × 2^(attempt − 1), at most 15 minutes: 15 s, 30 s, 60 s, … with the default base. */
export function retryDelaySeconds(receiveCount: number, baseSeconds: number): number {
  return Math.min(MAX_DELAY_SECONDS, Math.round(baseSeconds * 2 ** Math.max(0, receiveCount - 1)));
}

/** `requestedSeconds` (an app's own retry backoff) wins over the default schedule. */
export async function retryLater(
  client: SQSClient,
  queueUrl: string,
  receiptHandle: string,
  receiveCount: number,
  baseSeconds: number,
  requestedSeconds?: number,
): Promise<void> {
  const delay = requestedSeconds === undefined ? retryDelaySeconds(receiveCount, baseSeconds) : Math.min(MAX_DELAY_SECONDS, requestedSeconds);
  await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: delay }));
}
