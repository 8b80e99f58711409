// A FIFO batch's message groups at once, each group's records one after another.
//
// Why not Powertools alone: its SqsFifoPartialProcessorAsync (2.35) runs every record of a
// batch in turn, whatever its group, and `processInParallel` belongs to BatchProcessor, which
// knows nothing of groups. A sync job is mostly waiting (health polls), so a batch of ten
// targets run in turn takes ten times as long as one. Here the batch is split by
// MessageGroupId (app@cluster, `_scan@…`, `_rollout@…`) and each group goes through a
// Powertools FIFO processor of its own with `skipGroupOnError`, so within a group its exact
// semantics hold (order kept; after a failure the group's later records fail unprocessed);
// the groups run side by side, at most `concurrency` at a time; their failures make one partial
// batch response, as Lambda's SQS event source expects (`batchItemFailures[].itemIdentifier` =
// messageId; an empty list deletes the whole batch).
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSRecord } from 'aws-lambda';

/** SQS FIFO hands at most ten records to one invocation, so at most ten groups. */
export const MAX_GROUPS_AT_ONCE = 10;

export interface ProcessGroupsOptions {
  /** Groups running at once; MAX_GROUPS_AT_ONCE by default. */
  concurrency?: number;
  context?: Context;
  /**
   * Told of each record failed unprocessed because an earlier one of its group failed, once its
   * group is done. Left alone, such a record comes back only after the queue's visibility
   * timeout and holds its group that long, whatever backoff the failed record was given.
   */
  onSkipped?: (record: SQSRecord) => Promise<void>;
}

/**
 * Runs `handle` on every record: one group's records in batch order, a failed record failing the
 * rest of its group; other groups go on. Resolves to the failed records, in batch order.
 */
export async function processGroups(
  records: readonly SQSRecord[],
  handle: (record: SQSRecord) => Promise<unknown>,
  options: ProcessGroupsOptions = {},
): Promise<SQSBatchResponse> {
  const groups = groupRecords(records);
  const concurrency = Math.max(1, Math.min(options.concurrency ?? MAX_GROUPS_AT_ONCE, groups.length));
  const failed = new Set<string>();
  const ran = new Set<string>();
  const run = (record: SQSRecord) => {
    ran.add(record.messageId);
    return handle(record);
  };
  let next = 0;
  // A few lanes taking the next group when they are free: bounded, and no group waits for a slow one.
  const lane = async () => {
    while (next < groups.length) {
      const group = groups[next++];
      // A processor per group: one instance keeps the state of one run (its failed groups, its records).
      const response = await processPartialResponse({ Records: group }, run, new SqsFifoPartialProcessorAsync(), {
        context: options.context,
        skipGroupOnError: true,
        throwOnFullBatchFailure: false,
      });
      for (const failure of response.batchItemFailures) failed.add(failure.itemIdentifier);
      if (options.onSkipped) for (const record of group) if (failed.has(record.messageId) && !ran.has(record.messageId)) await options.onSkipped(record);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const batchItemFailures: SQSBatchItemFailure[] = records
    .filter((record) => failed.has(record.messageId))
    .map((record) => ({ itemIdentifier: record.messageId }));
  return { batchItemFailures };
}

/**
 * The batch's records by MessageGroupId, groups in the order their first record comes. A record
 * without one (not from a FIFO queue) is a group of its own, as Powertools never skips it.
 */
export function groupRecords(records: readonly SQSRecord[]): SQSRecord[][] {
  const byGroup = new Map<string, SQSRecord[]>();
  const groups: SQSRecord[][] = [];
  for (const record of records) {
    const id = record.attributes?.MessageGroupId;
    const group = id === undefined ? undefined : byGroup.get(id);
    if (group) {
      group.push(record);
      continue;
    }
    const fresh = [record];
    groups.push(fresh);
    if (id !== undefined) byGroup.set(id, fresh);
  }
  return groups;
}
