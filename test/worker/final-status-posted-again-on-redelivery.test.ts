// The record keeps the final commit status as posted before it is posted (finish.ts says why):
// a worker that dies between the two leaves the message undeleted, and its redelivery must post
// the final status again rather than trust the record. Here the first delivery runs to its end
// (result recorded, status posted) and the same job is then delivered again, as SQS redelivers
// a message whose worker died after the record: the state it finds is the one a crash would
// leave, and the commit must get its final status from the redelivery too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncJob } from '../../shared/queue/job.ts';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { startPipeline, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const app = (color: string) => ({
  'apps/web/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config }\ndata: { color: ${color} }\n`,
});

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

describe('a sync job delivered again after its result was recorded', () => {
  it('posts the final status on the commit again', async () => {
    const first = await pipeline.repo.commit({ ...webRegistry(), ...app('blue') });
    await pipeline.push(EMPTY, first, { added: [...Object.keys(webRegistry()), ...Object.keys(app('blue'))] });
    await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first && (await pipeline.queueDepth()) === 0);

    const second = await pipeline.repo.commit(app('green'));
    await pipeline.push(first, second, { modified: ['apps/web/config.yaml'] });
    let message: { body: string; group: string } | undefined;
    while (!message) {
      const delivery = await pipeline.workOnce(5);
      if (!delivery) throw new Error('the sync job never arrived');
      const [record] = delivery.event.Records;
      const job = JSON.parse(record.body) as SyncJob;
      if (job.kind === 'sync' && job.revision === second) message = { body: record.body, group: String(record.attributes.MessageGroupId) };
    }
    const finals = () => pipeline.github.statuses.filter((status) => status.sha === second && status.state === 'success');
    expect(finals()).toHaveLength(1);
    // What the record left: the result, the lease given back, the final status noted as posted.
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({
      revision: second,
      syncStatus: 'Synced',
      lastPostedStatus: { sha: second, state: 'success' },
    });
    expect(await pipeline.store.getLease({ app: 'web', cluster: 'sandbox' })).toBeUndefined();

    // The redelivery: the same body in the same FIFO group (a deduplication id of its own, or the queue would swallow it).
    await pipeline.services.sqs.send(
      new SendMessageCommand({
        QueueUrl: pipeline.services.queueUrl,
        MessageBody: message.body,
        MessageGroupId: message.group,
        MessageDeduplicationId: 'redelivered',
      }),
    );
    await pipeline.work(async () => finals().length === 2 && (await pipeline.queueDepth()) === 0);
    expect(finals().map((status) => status.context)).toEqual(['driftless/web@sandbox', 'driftless/web@sandbox']);
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ revision: second, syncStatus: 'Synced' });
  });
});
