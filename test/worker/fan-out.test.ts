// A config push's syncs against the real state table (dynalite) and queue (fauxqs), each
// request and send seen by SDK middleware on the real clients: every job is sent only after its
// target's request is written (a job is claimed against it), the first jobs go out after one
// chunk of requests rather than after all of them, and a rollout's marks come before any job.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { targetId, type Job, type SyncJob } from '../../shared/queue/job.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { FAN_OUT_CHUNK, fanOut } from '../../shared/worker/fan-out.ts';
import { awsClientConfig } from '../support/aws.ts';

const SHA = 'a'.repeat(40);
const APPS = 250;

let services: LocalServices;
let store: DynamoStateStore;
let sqs: SQSClient;
/** In the order sent: `request <app>` for each requestSync / markRollout, `send <app>…` for each SendMessageBatch. */
const calls: string[] = [];

beforeAll(async () => {
  services = await startLocalServices();
  const dynamo = new DynamoDBClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_DYNAMODB));
  dynamo.middlewareStack.add(
    (next, context) => (args) => {
      // The document client's command, its key not yet marshalled at this step (or the base client's, marshalled).
      const pk = (args.input as { Key?: { pk?: string | { S?: string } } }).Key?.pk;
      const key = typeof pk === 'string' ? pk : pk?.S;
      if (/^Update(Item)?Command$/.test(context.commandName ?? '') && key) calls.push(`request ${key}`);
      return next(args);
    },
    { step: 'initialize', name: 'recordRequests' },
  );
  store = new DynamoStateStore({ client: dynamo, tableName: services.env.STATE_TABLE });
  sqs = new SQSClient(awsClientConfig(services.env.AWS_ENDPOINT_URL_SQS));
  sqs.middlewareStack.add(
    (next, context) => (args) => {
      const entries = (args.input as { Entries?: Array<{ MessageBody?: string }> }).Entries ?? [];
      if (context.commandName === 'SendMessageBatchCommand')
        calls.push(
          `send ${entries.map((entry) => ((JSON.parse(entry.MessageBody ?? '{}') as Job).kind === 'sync' ? (JSON.parse(entry.MessageBody ?? '{}') as SyncJob).app : 'rollout')).join(',')}`,
        );
      return next(args);
    },
    { step: 'initialize', name: 'recordSends' },
  );
});
afterAll(async () => {
  sqs?.destroy();
  await services?.stop();
});

const syncJob = (index: number): SyncJob => ({
  kind: 'sync',
  app: `app-${String(index).padStart(4, '0')}`,
  cluster: 'prod',
  revision: SHA,
  ref: 'main',
  trigger: 'config',
  deliveryId: 'delivery-1',
  enqueuedAt: new Date().toISOString(),
});

async function drain(): Promise<Job[]> {
  const jobs: Job[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: services.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return jobs;
    jobs.push(...Messages.map((message: Message) => JSON.parse(message.Body ?? '{}') as Job));
  }
}

describe('fanOut: the syncs of a config push', () => {
  it('requests every target before its job is sent, and sends the first chunk before the last requests', async () => {
    const jobs = Array.from({ length: APPS }, (_, index) => syncJob(index));
    const requests = new Map(jobs.map((job) => [targetId(job.app, job.cluster), { app: job.app, cluster: job.cluster, sha: SHA }]));
    await fanOut({ jobs, requests, marks: [] }, { store, queue: new SqsJobQueue({ client: sqs, queueUrl: services.queueUrl }) });

    // Each target's request is in the table at the commit.
    const targets = await store.getTargets(jobs.map((job) => ({ app: job.app, cluster: job.cluster })));
    expect(jobs.filter((job) => targets.get(targetId(job.app, job.cluster))?.requestedRevision === SHA)).toHaveLength(APPS);
    // Each job's request was sent before the batch that carries it.
    const requestedAt = new Map<string, number>();
    calls.forEach((call, index) => {
      if (call.startsWith('request ')) requestedAt.set(call.slice('request '.length), index);
    });
    const sends = calls.map((call, index) => ({ call, index })).filter(({ call }) => call.startsWith('send '));
    for (const { call, index } of sends)
      for (const app of call.slice('send '.length).split(','))
        expect((requestedAt.get(`TARGET#${app}@prod`) ?? Infinity) < index, `${app} requested before sent`).toBe(true);
    // The first batch went out before the last chunk's requests: syncs start while the rest are asked.
    const lastRequest = Math.max(...requestedAt.values());
    expect(sends[0].index).toBeLessThan(lastRequest);
    expect(calls.slice(0, sends[0].index).filter((call) => call.startsWith('request '))).toHaveLength(FAN_OUT_CHUNK);
    // Every job is on the queue, once.
    const sent = (await drain()).map((job) => (job as SyncJob).app).sort();
    expect(sent).toEqual(jobs.map((job) => job.app).sort());
  });

  it("marks a rollout's targets before any job is sent, and requests no target it was not asked to", async () => {
    calls.length = 0;
    const start: Job = {
      kind: 'rollout',
      set: 'shop',
      id: SHA,
      reason: 'start',
      trigger: 'push',
      ref: 'main',
      repoURL: 'https://github.com/acme/gitops.git',
      enqueuedAt: new Date().toISOString(),
    };
    const member = syncJob(9001);
    await fanOut(
      {
        jobs: [start],
        requests: new Map(),
        marks: [{ target: { app: member.app, cluster: 'prod' }, rollout: { set: 'shop', id: SHA, revision: SHA } }],
      },
      { store, queue: new SqsJobQueue({ client: sqs, queueUrl: services.queueUrl }) },
    );
    expect(calls).toEqual([`request TARGET#${member.app}@prod`, 'send rollout']);
    expect((await store.getTarget(member.app, 'prod'))?.requestedRevision).toBeUndefined();
    expect(await drain()).toMatchObject([{ kind: 'rollout', set: 'shop' }]);
  });
});
