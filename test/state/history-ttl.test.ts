// History items carry the table's TTL attribute, so DynamoDB deletes them on its own after
// HISTORY_TTL_SECONDS; the entries read back do not show it.
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HISTORY_TTL_SECONDS } from '../../shared/state/history.ts';
import { startStateTable, type StateTable } from './table.ts';

let table: StateTable;
beforeAll(async () => {
  table = await startStateTable();
});
afterAll(() => table.stop());

it('writes expiresAt (epoch seconds, as DynamoDB TTL reads it) on each history item, 180 days after it was written', async () => {
  const finishedAt = '2025-06-01T11:59:00.000Z';
  await table.store().recordSyncResult({
    app: 'web',
    cluster: 'prod',
    seq: 1,
    revision: 'abc',
    status: 'Synced',
    health: 'Healthy',
    message: 'ok',
    startedAt: finishedAt,
    finishedAt,
    durationMs: 5,
    reason: 'push',
    counts: {},
  });
  const { Items = [] } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
      ExpressionAttributeValues: { ':pk': { S: 'TARGET#web@prod' }, ':history': { S: 'HISTORY#' } },
    }),
  );
  expect(Items).toHaveLength(1);
  expect(HISTORY_TTL_SECONDS).toBe(180 * 24 * 3600);
  // The test clock stands at 2025-06-01T12:00:00Z.
  expect(Items[0].expiresAt).toEqual({ N: String(Date.parse('2025-06-01T12:00:00.000Z') / 1000 + 180 * 24 * 3600) });
  const [entry] = await table.store().listHistory('web', 'prod', 10);
  expect(entry).not.toHaveProperty('expiresAt');
});
