// A cluster nobody can reach: each attempt fails and the job goes back to the queue; the last
// attempt (maxReceiveCount) records the failure and SQS moves the job to the dead-letter
// queue. The target's state and the commit status say it gave up.
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDeadKubeconfig } from '../support/dead-cluster.ts';
import { startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const MAX_RECEIVE_COUNT = 2;

let pipeline: Pipeline;
let deadKubeconfig: string;

beforeAll(async () => {
  pipeline = await startPipeline({ maxReceiveCount: MAX_RECEIVE_COUNT, visibilityTimeoutSeconds: 1 });
  deadKubeconfig = await writeDeadKubeconfig(pipeline.sandbox.kubeconfig());
});
afterAll(async () => {
  await pipeline?.stop();
  await rm(deadKubeconfig, { force: true });
});

describe('a cluster that cannot be reached', () => {
  it('ends with the job in the dead-letter queue, the target Failed and an error status on the commit', async () => {
    const registry = webRegistry({ cluster: 'dead', kubeconfig: { context: 'dead', path: deadKubeconfig } });
    const sha = await pipeline.repo.commit({ ...registry, ...webApp('blue') });
    const response = await pipeline.push(EMPTY, sha, { added: [...Object.keys(registry), ...Object.keys(webApp('blue'))] });
    expect(response.statusCode).toBe(202);

    await pipeline.work(async () => (await pipeline.queueDepth(pipeline.services.dlqUrl)) > 0, 45_000);

    const { Messages = [] } = await pipeline.services.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: pipeline.services.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((message) => JSON.parse(message.Body ?? '{}'))).toEqual([expect.objectContaining({ app: 'web', cluster: 'dead', revision: sha })]);
    expect(await pipeline.queueDepth()).toBe(0);

    const target = await pipeline.store.getTarget('web', 'dead');
    expect(target).toMatchObject({ syncStatus: 'Failed', health: 'Unknown', requestedRevision: sha });
    expect(target?.message).toMatch(new RegExp(`^gave up after ${MAX_RECEIVE_COUNT} attempts \\(the job is in the dead-letter queue\\): `));
    expect(target?.revision).toBeUndefined();
    const history = await pipeline.store.listHistory('web', 'dead', 10);
    expect(history.map((entry) => [entry.revision, entry.status])).toEqual([[sha, 'Failed']]);

    const statuses = pipeline.github.statuses.filter((status) => status.context === 'driftless/web@dead');
    expect(statuses.every((status) => status.sha === sha)).toBe(true);
    expect(statuses.map((status) => status.state)).toEqual(['pending', 'error']);
    expect(statuses.at(-1)?.description).toMatch(new RegExp(`^gave up after ${MAX_RECEIVE_COUNT} attempts: `));
    expect(statuses.at(-1)?.description?.length).toBeLessThanOrEqual(140);

    const events = pipeline.eventBridge.entries.filter((entry) => JSON.parse(entry.Detail ?? '{}').cluster === 'dead').map((entry) => entry.DetailType);
    expect(events.at(-1)).toBe('Sync Failed');
    expect(events.filter((type) => type === 'Sync Failed')).toHaveLength(1);
  });
});
