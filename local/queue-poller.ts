// Local mode's stand-in for Lambda's SQS event source mapping: long-poll, hand the batch to
// the handler as an SQSEvent, delete what succeeded. Records the handler lists in
// batchItemFailures (or all of them, if it throws) are left alone, so they become visible
// again after the visibility timeout and move to the DLQ after maxReceiveCount, as in AWS.
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { queueArn } from './create-queues.ts';
import { QueueError } from '../shared/queue/errors.ts';
import { toSqsEvent } from './sqs-event.ts';

export interface PollQueueOptions {
  client: SQSClient;
  queueUrl: string;
  handler: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  /** Long-poll wait per ReceiveMessage, 0–20. */
  waitSeconds?: number;
  /** Messages per event, 1–10. */
  batchSize?: number;
  /** Stops the loop; a receive in flight is abandoned. */
  signal: AbortSignal;
  /** Handler failures and SQS errors; the loop goes on after them. */
  onError?: (error: unknown) => void;
}

const RETRY_AFTER_ERROR_MS = 1000;

/** Resolves when `signal` aborts. */
export async function pollQueue(options: PollQueueOptions): Promise<void> {
  const { client, queueUrl, signal } = options;
  const onError = options.onError ?? (() => {});
  const source = { queueArn: await queueArn(client, queueUrl), region: await client.config.region() };
  while (!signal.aborted) {
    try {
      const { Messages } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: options.batchSize ?? 10,
          WaitTimeSeconds: options.waitSeconds ?? 20,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      );
      if (!Messages || Messages.length === 0) continue;
      const event = toSqsEvent(Messages, source);
      const succeeded = await runHandler(options.handler, event, onError);
      await deleteRecords(client, queueUrl, succeeded);
    } catch (error) {
      if (signal.aborted) break;
      onError(error);
      await sleep(RETRY_AFTER_ERROR_MS, signal);
    }
  }
}

/** The records to delete, by Lambda's rules for partial batch responses. */
async function runHandler(handler: PollQueueOptions['handler'], event: SQSEvent, onError: (error: unknown) => void): Promise<SQSRecord[]> {
  let response: SQSBatchResponse | void;
  try {
    response = await handler(event);
  } catch (error) {
    onError(error);
    return [];
  }
  const failures = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
  // Lambda fails the whole batch when a reported id is empty or not one of the batch's records.
  const ids = new Set(event.Records.map((record) => record.messageId));
  for (const id of failures) {
    if (!id || !ids.has(id)) {
      onError(new QueueError(`batchItemFailures names "${id}", which is not a record of the batch: the whole batch counts as failed`));
      return [];
    }
  }
  return event.Records.filter((record) => !failures.has(record.messageId));
}

async function deleteRecords(client: SQSClient, queueUrl: string, records: SQSRecord[]): Promise<void> {
  if (records.length === 0) return;
  const { Failed } = await client.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: records.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
    }),
  );
  if (Failed && Failed.length > 0) {
    // Not fatal: the message comes back after its visibility timeout and is processed again.
    throw new QueueError(`could not delete ${Failed.length} processed message(s): ${Failed.map((failure) => failure.Code).join(', ')}`);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
