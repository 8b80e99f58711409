// A helm binary that cannot be started is our deployment's fault, not the chart's: the job is
// retried, and the last attempt gives up with an `error` status and the job in the dead-letter
// queue (where the alarm is). Nothing says "cannot sync" as if the manifests were wrong.
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chartAppFiles, startPipeline, type Pipeline } from '../support/pipeline.ts';

const MAX_RECEIVE_COUNT = 2;
const MISSING_HELM = join(tmpdir(), `no-helm-here-${process.pid}`, 'helm');

let pipeline: Pipeline;
beforeAll(async () => {
  // Read when the worker first renders a chart, in this test file's own process.
  process.env.DRIFTLESS_HELM_PATH = MISSING_HELM;
  pipeline = await startPipeline({ maxReceiveCount: MAX_RECEIVE_COUNT, visibilityTimeoutSeconds: 1 });
});
afterAll(async () => {
  delete process.env.DRIFTLESS_HELM_PATH;
  await pipeline?.stop();
});

it('retries, then gives up with an error status, never recording the chart as bad input', async () => {
  const files = {
    ...chartAppFiles(),
    'chart/templates/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: chart-config }\ndata: { color: blue }\n',
  };
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push('0000000000000000000000000000000000000000', sha, { added: Object.keys(files) })).statusCode).toBe(202);

  await pipeline.work(async () => (await pipeline.queueDepth(pipeline.services.dlqUrl)) > 0, 30_000);

  const { Messages = [] } = await pipeline.services.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: pipeline.services.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  expect(Messages.map((message) => JSON.parse(message.Body ?? '{}'))).toEqual([expect.objectContaining({ kind: 'sync', app: 'chart', revision: sha })]);
  expect(await pipeline.queueDepth()).toBe(0);

  const target = await pipeline.store.getTarget('chart', 'sandbox');
  expect(target).toMatchObject({ syncStatus: 'Failed', health: 'Unknown' });
  expect(target?.message).toMatch(new RegExp(`^gave up after ${MAX_RECEIVE_COUNT} attempts \\(the job is in the dead-letter queue\\): `));
  expect(target?.message).toContain(`cannot start helm at ${MISSING_HELM}`);
  expect(target?.message).not.toMatch(/cannot sync/);

  const statuses = pipeline.github.statuses.filter((status) => status.context === 'driftless/chart@sandbox');
  expect(statuses.map((status) => status.state)).toEqual(['pending', 'error']);
  expect(statuses.every((status) => !/cannot sync/.test(status.description ?? ''))).toBe(true);
  expect((await pipeline.store.listHistory('chart', 'sandbox', 10)).map((entry) => entry.status)).toEqual(['Failed']);
});
