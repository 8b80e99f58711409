// Several workers on the one FIFO queue, as `npm start -- --workers N` runs them: SQS FIFO, here
// fauxqs, hands no worker a message of a group (app@cluster) whose earlier message is still in
// flight, so the jobs of one target never overlap and keep their order, while other targets'
// jobs run at once. Two shapes of "N jobs at once": several receive loops each handling one job
// per batch (worker processes, or `--pollers` in one process), and one loop receiving batches of
// ten that the sync worker runs group by group at once (functions/sync-worker/process-groups.ts).
// fauxqs hands out one message per group per receive; SQS may hand several of one group in a
// batch, in order, and test/worker/handler-process-groups.test.ts shows those run in turn.
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processGroups } from '../../functions/sync-worker/process-groups.ts';
import { createQueues } from '../../local/create-queues.ts';
import { pollQueue } from '../../local/queue-poller.ts';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { awsClientConfig } from '../support/aws.ts';
import { job, syncJobIn } from '../queue/queues.ts';

const TARGETS = ['shop@prod', 'shop@staging', 'blog@prod', 'docs@prod'];
const REVISIONS = ['1', '2', '3'].map((digit) => digit.repeat(40));
const JOB_MS = 150;

interface Run {
  target: string;
  revision: string;
  worker: number;
  start: number;
  end: number;
}

let services: LocalServices;
let client: SQSClient;

beforeAll(async () => {
  services = await startLocalServices();
  client = new SQSClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_SQS));
});

afterAll(async () => {
  client?.destroy();
  await services?.stop();
});

/** Fills a fresh queue with every target's jobs, revision by revision, and drains it with `loops` receive loops. */
async function drain(name: string, loops: number, batchSize: number, handle: (event: SQSEvent, worker: number, runs: Run[]) => Promise<void>): Promise<Run[]> {
  const { queueUrl } = await createQueues(client, name, { visibilityTimeoutSeconds: 30 });
  const queue = new SqsJobQueue({ client, queueUrl });
  // Revision by revision, so each target's messages are in the queue in the order 1, 2, 3.
  for (const revision of REVISIONS) {
    await queue.enqueue(
      TARGETS.map((target) => {
        const [app, cluster] = target.split('@');
        return job(app, cluster, revision);
      }),
    );
  }
  const runs: Run[] = [];
  const stop = new AbortController();
  const errors: unknown[] = [];
  const workers = Array.from({ length: loops }, (_, index) =>
    pollQueue({
      client,
      queueUrl,
      handler: (event) => handle(event, index, runs),
      waitSeconds: 1,
      batchSize,
      signal: stop.signal,
      onError: (error) => errors.push(error),
    }),
  );
  const deadline = Date.now() + 20_000;
  while (runs.length < TARGETS.length * REVISIONS.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  stop.abort();
  await Promise.all(workers);
  expect(errors).toEqual([]);
  return runs;
}

async function runJob(record: SQSRecord, worker: number, runs: Run[]): Promise<void> {
  const parsed = syncJobIn(record.body);
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, JOB_MS));
  runs.push({ target: `${parsed.app}@${parsed.cluster}`, revision: parsed.revision, worker, start, end: performance.now() });
}

function expectEveryJobOnce(runs: Run[]) {
  expect(runs.map((run) => `${run.target} ${run.revision[0]}`).sort()).toEqual(
    TARGETS.flatMap((target) => REVISIONS.map((revision) => `${target} ${revision[0]}`)).sort(),
  );
}

function expectTargetsInOrderNeverOverlapping(runs: Run[]) {
  for (const target of TARGETS) {
    const own = runs.filter((run) => run.target === target).sort((a, b) => a.start - b.start);
    expect(
      own.map((run) => run.revision),
      target,
    ).toEqual(REVISIONS);
    for (let i = 1; i < own.length; i++) expect(own[i].start, `${target}: job ${i + 1} started before job ${i} ended`).toBeGreaterThanOrEqual(own[i - 1].end);
  }
}

describe('several receive loops, one job per batch', () => {
  const WORKERS = 3;
  let runs: Run[];
  beforeAll(async () => {
    runs = await drain('workers-fifo', WORKERS, 1, async (event, worker, into) => {
      for (const record of event.Records) await runJob(record, worker, into);
    });
  }, 30_000);

  it('runs every job once', () => expectEveryJobOnce(runs));

  it('never runs two jobs of one target at once, and runs them in the order they were sent', () => expectTargetsInOrderNeverOverlapping(runs));

  it('runs jobs of different targets at the same time, on different workers', () => {
    const overlapping = runs.some((a) => runs.some((b) => a.target !== b.target && a.worker !== b.worker && a.start < b.end && b.start < a.end));
    expect(overlapping).toBe(true);
    expect(new Set(runs.map((run) => run.worker)).size).toBeGreaterThan(1);
  });
});

describe('one receive loop, batches of ten run group by group at once', () => {
  let runs: Run[];
  beforeAll(async () => {
    runs = await drain('workers-fifo-batch', 1, 10, async (event, worker, into) => {
      const response = await processGroups(event.Records, (record) => runJob(record, worker, into));
      expect(response.batchItemFailures).toEqual([]);
    });
  }, 30_000);

  it('runs every job once', () => expectEveryJobOnce(runs));

  it('never runs two jobs of one target at once, and runs them in the order they were sent', () => expectTargetsInOrderNeverOverlapping(runs));

  it('runs jobs of different targets at the same time in the one worker', () => {
    const overlapping = runs.some((a) => runs.some((b) => a.target !== b.target && a.start < b.end && b.start < a.end));
    expect(overlapping).toBe(true);
  });
});
