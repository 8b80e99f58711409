// JobQueue on an SQS FIFO queue: SendMessageBatch in chunks of 10, a few chunks at a time,
// each failed entry retried once. The group keeps a target's jobs in order; the
// deduplication id makes a redelivered push enqueue nothing new (message-ids.ts).
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import pLimit from 'p-limit';
import { planBatches } from './batches.ts';
import { EnqueueError, type FailedJob } from './errors.ts';
import type { Job } from './job.ts';
import { messageIds, type MessageIds } from './message-ids.ts';
import type { EnqueuedJob, JobQueue } from './queue.ts';

export interface SqsJobQueueOptions {
  client: SQSClient;
  queueUrl: string;
  /** SendMessageBatch calls in flight at once. */
  concurrency?: number;
}

interface Entry {
  job: Job;
  ids: MessageIds;
}

interface EntryFailure extends FailedJob {
  entry: Entry;
  retryable: boolean;
}

interface BatchOutcome {
  sent: Array<{ entry: Entry; messageId: string }>;
  failed: EntryFailure[];
}

export class SqsJobQueue implements JobQueue {
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly concurrency: number;

  constructor(options: SqsJobQueueOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
    this.concurrency = options.concurrency ?? 4;
  }

  async enqueue(jobs: Job[]): Promise<EnqueuedJob[]> {
    const entries: Entry[] = jobs.map((job) => ({ job, ids: messageIds(job) }));
    const limit = pLimit(this.concurrency);
    const outcomes: Promise<BatchOutcome>[] = [];
    for (const batch of planBatches(entries, (entry) => entry.ids.groupId)) {
      // p-limit starts tasks in order, so every batch waited for has started already: no deadlock.
      const earlier = batch.after.map((index) => outcomes[index]);
      outcomes.push(
        limit(async () => {
          await Promise.all(earlier);
          return this.sendWithRetry(batch.items);
        }),
      );
    }
    const settled = await Promise.all(outcomes);
    const sent = new Map(settled.flatMap((outcome) => outcome.sent).map(({ entry, messageId }) => [entry, messageId]));
    const failed = settled.flatMap((outcome) => outcome.failed).map(({ job, code, message }) => ({ job, code, message }));
    if (failed.length > 0) throw new EnqueueError(failed, sent.size);
    return entries.map((entry) => ({ job: entry.job, messageId: sent.get(entry) ?? '' }));
  }

  /** Entries SQS refused as malformed (sender fault) are not retried: they would fail the same way. */
  private async sendWithRetry(entries: Entry[]): Promise<BatchOutcome> {
    const first = await this.send(entries);
    const retry = first.failed.filter((failure) => failure.retryable);
    if (retry.length === 0) return first;
    const second = await this.send(retry.map((failure) => failure.entry));
    return {
      sent: [...first.sent, ...second.sent],
      failed: [...first.failed.filter((failure) => !failure.retryable), ...second.failed],
    };
  }

  private async send(entries: Entry[]): Promise<BatchOutcome> {
    const command = new SendMessageBatchCommand({
      QueueUrl: this.queueUrl,
      Entries: entries.map((entry, index) => ({
        Id: String(index),
        MessageBody: JSON.stringify(entry.job),
        MessageGroupId: entry.ids.groupId,
        MessageDeduplicationId: entry.ids.deduplicationId,
      })),
    });
    let response;
    try {
      response = await this.client.send(command);
    } catch (error) {
      // The SDK has already retried the call itself; every entry of it counts as failed once.
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      return { sent: [], failed: entries.map((entry) => ({ entry, job: entry.job, code: name, message, retryable: true })) };
    }
    const outcome: BatchOutcome = { sent: [], failed: [] };
    const answered = new Set<string>();
    for (const success of response.Successful ?? []) {
      answered.add(success.Id ?? '');
      outcome.sent.push({ entry: entries[Number(success.Id)], messageId: success.MessageId ?? '' });
    }
    for (const failure of response.Failed ?? []) {
      answered.add(failure.Id ?? '');
      const entry = entries[Number(failure.Id)];
      outcome.failed.push({ entry, job: entry.job, code: failure.Code ?? 'Unknown', message: failure.Message ?? '', retryable: !failure.SenderFault });
    }
    entries.forEach((entry, index) => {
      if (!answered.has(String(index)))
        outcome.failed.push({ entry, job: entry.job, code: 'NoAnswer', message: 'SQS answered neither success nor failure', retryable: true });
    });
    return outcome;
  }
}
