// Several workers on the one FIFO queue, as `npm start -- --workers N` runs them (each worker
// process is one pollQueue loop handling one batch at a time, of one job as the SyncPipeline
// construct's default and local mode's): SQS FIFO, here fauxqs, hands no
// worker a message of a group (app@cluster) whose earlier message is still in flight, so the
// jobs of one target never overlap and keep their order, while other targets' jobs run at once.
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createQueues } from '../../local/create-queues.ts';
import { pollQueue } from '../../local/queue-poller.ts';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { awsClientConfig } from '../support/aws.ts';
import { job, syncJobIn } from '../queue/queues.ts';

const WORKERS = 3;
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
const runs: Run[] = [];

beforeAll(async () => {
  services = await startLocalServices();
  client = new SQSClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_SQS));
  const { queueUrl } = await createQueues(client, 'workers-fifo', { visibilityTimeoutSeconds: 30 });
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
  const stop = new AbortController();
  const errors: unknown[] = [];
  const worker = (index: number) => async (event: SQSEvent) => {
    // One record after the other, as the sync worker's FIFO batch processor runs them.
    for (const record of event.Records) {
      const parsed = syncJobIn(record.body);
      const start = performance.now();
      await new Promise((resolve) => setTimeout(resolve, JOB_MS));
      runs.push({ target: `${parsed.app}@${parsed.cluster}`, revision: parsed.revision, worker: index, start, end: performance.now() });
    }
  };
  const loops = Array.from({ length: WORKERS }, (_, index) =>
    pollQueue({ client, queueUrl, handler: worker(index), waitSeconds: 1, batchSize: 1, signal: stop.signal, onError: (error) => errors.push(error) }),
  );
  const deadline = Date.now() + 20_000;
  while (runs.length < TARGETS.length * REVISIONS.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  stop.abort();
  await Promise.all(loops);
  expect(errors).toEqual([]);
}, 30_000);

afterAll(async () => {
  client?.destroy();
  await services?.stop();
});

it('runs every job once', () => {
  expect(runs.map((run) => `${run.target} ${run.revision[0]}`).sort()).toEqual(
    TARGETS.flatMap((target) => REVISIONS.map((revision) => `${target} ${revision[0]}`)).sort(),
  );
});

it('never runs two jobs of one target at once, and runs them in the order they were sent', () => {
  for (const target of TARGETS) {
    const own = runs.filter((run) => run.target === target).sort((a, b) => a.start - b.start);
    expect(
      own.map((run) => run.revision),
      target,
    ).toEqual(REVISIONS);
    for (let i = 1; i < own.length; i++) expect(own[i].start, `${target}: job ${i + 1} started before job ${i} ended`).toBeGreaterThanOrEqual(own[i - 1].end);
  }
});

it('runs jobs of different targets at the same time, on different workers', () => {
  const overlapping = runs.some((a) => runs.some((b) => a.target !== b.target && a.worker !== b.worker && a.start < b.end && b.start < a.end));
  expect(overlapping).toBe(true);
  expect(new Set(runs.map((run) => run.worker)).size).toBeGreaterThan(1);
});
