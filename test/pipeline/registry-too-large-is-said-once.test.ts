// An app too large for its one DynamoDB item (400 KB of inline Helm values) cannot be stored
// however often it is retried: the refresh says so on the config commit naming the app and its
// file, the registry in force stays, and the message is done (before, every attempt hit
// DynamoDB's ValidationException and the job went to the dead-letter queue after the last one).
// A fleet of a thousand apps is no such case any more: the registry is stored one item per app.
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

  const big = appDocument({ name: 'big', namespace: 'big', path: 'apps/big' }).replace(
    'path: apps/big }',
    `path: apps/big, helm: { values: ${JSON.stringify(`padding: ${'x'.repeat(400 * 1024)}`)} } }`,
  );
  const files = { ...first, 'driftless/big.yaml': big };
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push(before, sha, { added: ['driftless/big.yaml'] })).statusCode).toBe(202);

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
  expect(status[0].description).toMatch(
    /^registry not stored: app big \(driftless\/big\.yaml\) is \d+ bytes as stored, more than the 399360 bytes one DynamoDB item can hold/,
  );
}, 120_000);
