// The sync worker in a process of its own, fed from SQS as local mode feeds it: the same
// poller and handler as `npm start`, so a test or the fault soak can run several workers and
// kill one (SIGKILL) while it holds a message, which SQS then delivers again after the
// visibility timeout. The environment is local mode's (local/start.ts sets it; a parent
// passes it on): SYNC_QUEUE_URL, STATE_TABLE, AWS_ENDPOINT_URL_*, GITHUB_SECRET, KUBECONFIG, …
// `npm start -- --workers N` runs them (local/worker-pool.ts says how many, with how many pollers).
//
//   node local/worker-process.ts [--invocation-seconds 900] [--batch-size 5] [--pollers 1] [--wait-seconds 2]
//
// `--pollers K` runs K receive loops at once, each handing its batch to the handler as Lambda
// hands one to an execution environment: K invocations in flight in one process, as K execution
// environments would be. The handler is safe for that (no per-invocation module state: each job
// logs through a child logger of its own, caches single-flight their misses). With batches of
// 1, SQS FIFO itself keeps a group's jobs apart (it hands out none of a group with one in flight),
// and each loop takes the next job as soon as its own is done rather than when a whole batch is.
//
// As in Lambda, an invocation that outlives its timeout is not let run on: the process exits
// (Lambda resets the execution environment), its messages are left to the visibility timeout,
// and whoever started the process starts another. SIGTERM or SIGINT stops it after the
// invocation in hand.
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { parseArgs } from 'node:util';
import { required } from '../shared/runtime/environment.ts';
import { lambdaContext } from './lambda-context.ts';
import { pollQueue } from './queue-poller.ts';

/** The exit code of a process whose invocation ran past its timeout. */
const INVOCATION_TIMED_OUT = 3;
/** Receive loops of one process at most: each is one more invocation in flight and one long poll. */
const MAX_POLLERS = 64;

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    'invocation-seconds': { type: 'string', default: '900' },
    'batch-size': { type: 'string', default: '5' },
    pollers: { type: 'string', default: '1' },
    'wait-seconds': { type: 'string', default: '2' },
  },
});

const invocationMs = Number(values['invocation-seconds']) * 1000;
const batchSize = Number(values['batch-size']);
const waitSeconds = Number(values['wait-seconds']);
const pollers = Number(values.pollers);
if (
  !(invocationMs > 0) ||
  !Number.isInteger(batchSize) ||
  batchSize < 1 ||
  batchSize > 10 ||
  !(waitSeconds >= 0 && waitSeconds <= 20) ||
  !Number.isInteger(pollers) ||
  pollers < 1 ||
  pollers > MAX_POLLERS
) {
  console.error(`worker-process: --invocation-seconds must be positive, --batch-size 1–10, --pollers 1–${MAX_POLLERS}, --wait-seconds 0–20`);
  process.exit(2);
}

const queueUrl = required(process.env, 'SYNC_QUEUE_URL');
// Imported only now, as in local mode: the handler reads its environment when first called.
const { handler: worker } = await import('../functions/sync-worker/handler.ts');
// Against a local endpoint (AWS_ENDPOINT_URL_SQS), send to it rather than to the host in the queue URL.
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });

const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
process.once('SIGINT', () => stop.abort());
// Started by local mode's pool (local/worker-pool.ts) with an IPC channel: when local mode is
// gone, even SIGKILLed, the channel closes and the worker stops rather than poll a dead queue.
if (process.send) process.once('disconnect', () => stop.abort());

async function invoke(event: SQSEvent) {
  const timer = setTimeout(() => {
    console.error(
      `worker-process ${process.pid}: invocation timed out after ${invocationMs / 1000} s; exiting as Lambda would (its messages come back after the visibility timeout)`,
    );
    process.exit(INVOCATION_TIMED_OUT);
  }, invocationMs);
  try {
    return await worker(event, lambdaContext('sync-worker', invocationMs));
  } finally {
    clearTimeout(timer);
  }
}

console.error(`worker-process ${process.pid}: polling ${queueUrl}${pollers > 1 ? ` with ${pollers} pollers` : ''}`);
await Promise.all(
  Array.from({ length: pollers }, () =>
    pollQueue({
      client: sqs,
      queueUrl,
      waitSeconds,
      batchSize,
      signal: stop.signal,
      handler: invoke,
      onError: (error) => console.error(`worker-process ${process.pid}: ${(error as Error).message}`),
    }),
  ),
);
sqs.destroy();
process.exit(0);
