// A registry too large for its one DynamoDB item (1,000 apps with long paths) cannot be stored
// however often it is retried: the refresh says so on the config commit, the registry in force
// stays, and the message is done (before, every attempt hit DynamoDB's ValidationException and
// the job went to the dead-letter queue after the last one).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appDocument, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline({ maxReceiveCount: 3, visibilityTimeoutSeconds: 1 });
});
afterAll(() => pipeline?.stop());

it('posts a failure status naming the size, keeps the registry in force and is not retried', async () => {
  const first = { ...webRegistry(), ...webApp('blue') };
  const before = await pipeline.repo.commit(first);
  expect((await pipeline.push(EMPTY, before, { added: Object.keys(first) })).statusCode).toBe(202);
  await pipeline.workOnce(); // the registry refresh
  await pipeline.workOnce(); // web's sync
  expect((await pipeline.store.getRegistry())?.revision).toBe(before);

  const fleet = Array.from({ length: 1000 }, (_, index) =>
    appDocument({ name: `app-${index}`, namespace: `team-${index}`, path: `apps/${'deeply-nested-folder/'.repeat(8)}app-${index}` }),
  ).join('---\n');
  const files = { ...first, 'driftless/fleet.yaml': fleet };
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push(before, sha, { added: ['driftless/fleet.yaml'] })).statusCode).toBe(202);

  const refresh = await pipeline.workOnce();
  expect(refresh?.event.Records.map((record) => [(JSON.parse(record.body) as { kind: string }).kind, record.attributes.ApproximateReceiveCount])).toEqual([
    ['registry-refresh', '1'],
  ]);
  expect(refresh?.response?.batchItemFailures ?? []).toEqual([]);
  expect(await pipeline.workOnce(2)).toBeUndefined();
  expect(await pipeline.queueDepth(pipeline.services.dlqUrl)).toBe(0);

  expect((await pipeline.store.getRegistry())?.revision).toBe(before);
  const status = pipeline.github.statuses.filter((entry) => entry.sha === sha && entry.context === 'driftless/registry');
  expect(status.map((entry) => entry.state)).toEqual(['failure']);
  expect(status[0].description).toMatch(/^registry not stored: the registry of 1001 apps is \d+ bytes, more than the 399360 bytes one DynamoDB item can hold/);
}, 120_000);
