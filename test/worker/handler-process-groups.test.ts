// The sync worker's batch: message groups at once, each group's records in order, a failed
// record failing the rest of its group only (Powertools' SqsFifoPartialProcessor with
// skipGroupOnError), and the partial batch response Lambda's SQS event source reads
// (batchItemFailures[].itemIdentifier = the failed records' messageIds).
import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { groupRecords, processGroups } from '../../functions/sync-worker/process-groups.ts';

function record(id: string, group: string | undefined): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `handle-${id}`,
    body: JSON.stringify({ id }),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
      ...(group === undefined ? {} : { MessageGroupId: group, MessageDeduplicationId: id }),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:jobs.fifo',
    awsRegion: 'eu-west-1',
  };
}

interface Run {
  id: string;
  start: number;
  end: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A handler taking `ms` per record, failing the ids in `failing`, and noting when each ran. */
function recorder(ms: number, failing: readonly string[] = []) {
  const runs: Run[] = [];
  let active = 0;
  let peak = 0;
  const handle = async (item: SQSRecord) => {
    const start = performance.now();
    active++;
    peak = Math.max(peak, active);
    try {
      await sleep(ms);
      if (failing.includes(item.messageId)) throw new Error(`job ${item.messageId} failed`);
    } finally {
      active--;
      runs.push({ id: item.messageId, start, end: performance.now() });
    }
  };
  return { handle, runs, peak: () => peak };
}

const overlap = (a: Run, b: Run) => a.start < b.end && b.start < a.end;

describe('processGroups', () => {
  const batch = [
    record('a1', 'shop@prod'),
    record('b1', 'blog@prod'),
    record('a2', 'shop@prod'),
    record('c1', '_scan@prod'),
    record('b2', 'blog@prod'),
    record('a3', 'shop@prod'),
  ];

  it('runs one group’s records one after another, in batch order', async () => {
    const { handle, runs } = recorder(30);
    await processGroups(batch, handle);
    const shop = runs.filter((run) => run.id.startsWith('a')).sort((x, y) => x.start - y.start);
    expect(shop.map((run) => run.id)).toEqual(['a1', 'a2', 'a3']);
    for (let i = 1; i < shop.length; i++) expect(shop[i].start).toBeGreaterThanOrEqual(shop[i - 1].end);
    const blog = runs.filter((run) => run.id.startsWith('b')).sort((x, y) => x.start - y.start);
    expect(blog.map((run) => run.id)).toEqual(['b1', 'b2']);
    expect(blog[1].start).toBeGreaterThanOrEqual(blog[0].end);
  });

  it('runs different groups at the same time', async () => {
    const { handle, runs, peak } = recorder(40);
    await processGroups(batch, handle);
    const byId = new Map(runs.map((run) => [run.id, run]));
    expect(overlap(byId.get('a1')!, byId.get('b1')!)).toBe(true);
    expect(overlap(byId.get('a1')!, byId.get('c1')!)).toBe(true);
    expect(peak()).toBe(3);
  });

  it('runs no more groups at once than its concurrency', async () => {
    const { handle, peak, runs } = recorder(20);
    await processGroups(batch, handle, { concurrency: 2 });
    expect(peak()).toBe(2);
    expect(runs).toHaveLength(batch.length);
  });

  it('fails the rest of a failed record’s group unprocessed, and goes on with other groups', async () => {
    const { handle, runs } = recorder(10, ['a2']);
    const response = await processGroups(batch, handle);
    // a3 comes after a2 in its group: it must not run, and must come back with a2 (FIFO order).
    expect(runs.map((run) => run.id).sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'a2' }, { itemIdentifier: 'a3' }] });
  });

  it('tells of each record skipped after its group failed, not of the failed one nor of others', async () => {
    const { handle } = recorder(5, ['a1', 'c1']);
    const skipped: string[] = [];
    const response = await processGroups(batch, handle, {
      onSkipped: async (item) => {
        skipped.push(item.messageId);
      },
    });
    expect(skipped).toEqual(['a2', 'a3']);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['a1', 'a2', 'c1', 'a3']);
  });

  it('answers an empty list when every record succeeded (Lambda deletes the whole batch)', async () => {
    const { handle } = recorder(1);
    expect(await processGroups(batch, handle)).toEqual({ batchItemFailures: [] });
  });

  it('reports every record when all fail, rather than throwing (the records come back one by one)', async () => {
    const { handle } = recorder(1, ['a1', 'b1', 'c1']);
    const response = await processGroups(batch, handle);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(batch.map((item) => item.messageId));
  });

  it('lists failures in batch order whichever group finished first', async () => {
    const slowFirst = async (item: SQSRecord) => {
      await sleep(item.messageId === 'a1' ? 60 : 5);
      throw new Error('fails');
    };
    const response = await processGroups([record('a1', 'g1'), record('b1', 'g2'), record('c1', 'g3')], slowFirst);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['a1', 'b1', 'c1']);
  });

  it('a parse error thrown before any await counts as that record’s failure', async () => {
    const handle = (item: SQSRecord) => {
      if (item.messageId === 'b1') throw new SyntaxError('not a job');
      return Promise.resolve();
    };
    const response = await processGroups(batch, handle as (item: SQSRecord) => Promise<void>);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(['b1', 'b2']);
  });
});

describe('groupRecords', () => {
  it('keeps groups in the order their first record comes, and records without a group apart', () => {
    const groups = groupRecords([record('a1', 'g1'), record('x', undefined), record('b1', 'g2'), record('a2', 'g1'), record('y', undefined)]);
    expect(groups.map((group) => group.map((item) => item.messageId))).toEqual([['a1', 'a2'], ['x'], ['b1'], ['y']]);
  });
});
