// recordSync writes the result, gives the lease back, keeps the final status and the DORA state
// and bumps the history counter in one UpdateItem, then appends the history entry (and deletes the
// one beyond the limit, by its key) in one BatchWriteItem: no read of the history. The partition
// must still end with exactly the newest N entries; a target whose history an older release wrote
// (time-keyed entries) is adopted once.
import { PutCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyKey, targetKey } from '../../shared/state/keys.ts';
import type { SyncRecord } from '../../shared/state/types.ts';
import { startStateTable, type StateTable } from './table.ts';

let table: StateTable;
beforeAll(async () => {
  table = await startStateTable();
});
afterAll(() => table.stop());

function record(app: string, i: number): SyncRecord {
  const finishedAt = new Date(Date.UTC(2025, 5, 1, 12, 0, i)).toISOString();
  return {
    app,
    cluster: 'prod',
    seq: i,
    revision: `rev-${i}`,
    status: 'Synced',
    health: 'Healthy',
    message: `sync ${i}`,
    startedAt: finishedAt,
    finishedAt,
    durationMs: i,
    reason: 'push',
  };
}

/** Counts the store's requests by command while `body` runs (the store warm: its one read of the upgrade window made). */
async function counting(body: (store: ReturnType<StateTable['store']>) => Promise<void>, historyLimit = 3): Promise<string[]> {
  const operations: string[] = [];
  const client = table.client;
  const store = table.store({ client, historyLimit });
  await store.releaseLease({ app: 'warm', cluster: 'up' }, 'nobody');
  client.middlewareStack.add(
    (next, context) => (args) => {
      operations.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'countOperations' },
  );
  try {
    await body(store);
  } finally {
    client.middlewareStack.remove('countOperations');
  }
  return operations;
}

describe('recording a sync', () => {
  it('answers the DORA state it found, and keeps the one it is given', async () => {
    const store = table.store({ historyLimit: 50 });
    const first = await store.recordSync(record('dora', 1), { dora: { baseline: 'rev-1' } });
    expect(first.doraBefore).toBeUndefined();
    expect(first.earlier).toBeUndefined();
    const second = await store.recordSync(record('dora', 2), { dora: { baseline: 'rev-2' } });
    expect(second.doraBefore).toEqual({ baseline: 'rev-1' });
    expect(second.historySeq).toBe(first.historySeq + 1);
    // Bookkeeping, not state: the target does not show it.
    expect(await store.getTarget('dora', 'prod')).not.toHaveProperty('doraState');
    expect(await store.getTarget('dora', 'prod')).not.toHaveProperty('historySeq');
  });

  it('reads the history once, newest first, when no DORA state was kept', async () => {
    const store = table.store({ historyLimit: 50 });
    for (let i = 1; i <= 3; i++) await store.recordSync(record('earlier', i));
    const { written, earlier } = await store.recordSync(record('earlier', 4));
    expect(written).toBe(true);
    expect(earlier?.map((entry) => entry.revision)).toEqual(['rev-3', 'rev-2', 'rev-1']);
    expect(earlier?.[0]).not.toHaveProperty('pk');
    expect(earlier?.[0]).not.toHaveProperty('expiresAt');
  });

  it('trims everything beyond a lowered limit in one record', async () => {
    for (let i = 1; i <= 9; i++) await table.store({ historyLimit: 50 }).recordSync(record('lowered', i));
    await table.store({ historyLimit: 3 }).recordSync(record('lowered', 10));
    expect((await table.store().listHistory('lowered', 'prod', 100)).map((entry) => entry.revision)).toEqual(['rev-10', 'rev-9', 'rev-8']);
  });

  it('makes one UpdateItem and one BatchWriteItem for a target at its limit, the lease released in the first', async () => {
    const store = table.store({ historyLimit: 3 });
    const ref = { app: 'full', cluster: 'prod' };
    for (let i = 1; i <= 4; i++) await store.recordSync(record('full', i), { dora: {} });
    expect(await store.acquireLease(ref, 'worker-a', 60_000)).toBe(true);
    const operations = await counting((counted) => counted.recordSync(record('full', 5), { dora: {}, owner: 'worker-a' }).then(() => undefined));
    expect(operations).toEqual(['UpdateItem', 'BatchWriteItem']);
    expect((await store.listHistory('full', 'prod', 100)).map((entry) => entry.revision)).toEqual(['rev-5', 'rev-4', 'rev-3']);
    expect(await store.getLease(ref)).toBeUndefined();
  });

  it('keeps the final status it is given as the last posted one', async () => {
    const store = table.store();
    const posted = { sha: 'rev-1', state: 'success', description: 'Synced and Healthy' };
    await store.recordSync(record('posted', 1), { postedStatus: posted, dora: {} });
    expect(await store.getTarget('posted', 'prod')).toMatchObject({ lastPostedStatus: posted, syncStatus: 'Synced' });
  });

  it('keeps a late result in the order it was recorded, and keeps N', async () => {
    const store = table.store({ historyLimit: 3 });
    for (const i of [5, 6, 7]) await store.recordSync(record('late', i), { dora: {} });
    // Its result is not written (a newer request's is there), its entry is: the history is what happened.
    expect((await store.recordSync(record('late', 2), { dora: {} })).written).toBe(false);
    expect((await store.listHistory('late', 'prod', 100)).map((entry) => entry.revision)).toEqual(['rev-2', 'rev-7', 'rev-6']);
    await store.recordSync(record('late', 8), { dora: {} });
    expect((await store.listHistory('late', 'prod', 100)).map((entry) => entry.revision)).toEqual(['rev-8', 'rev-2', 'rev-7']);
    expect(await store.getTarget('late', 'prod')).toMatchObject({ revision: 'rev-8', appliedSeq: 8 });
  });

  it('writes the result, appends the history and leaves the lease of a worker that took it over', async () => {
    const store = table.store({ historyLimit: 3 });
    const ref = { app: 'lost', cluster: 'prod' };
    expect(await store.acquireLease(ref, 'worker-b', 60_000)).toBe(true);
    const recorded = await store.recordSync(record('lost', 1), { owner: 'worker-a', dora: {} });
    expect(recorded.written).toBe(true);
    expect(await store.getLease(ref)).toMatchObject({ owner: 'worker-b' });
    expect((await store.listHistory('lost', 'prod', 10)).map((entry) => entry.revision)).toEqual(['rev-1']);
  });

  it('adopts a history an older release keyed by time, once: the newest N - 1 under the counter, the rest deleted', async () => {
    const doc = DynamoDBDocumentClient.from(table.client);
    const ref = { app: 'legacy', cluster: 'prod' };
    // As the release before the counter left it: a recorded result, five time-keyed entries.
    await doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: targetKey(ref),
        UpdateExpression: 'SET app = :app, #cluster = :cluster, lastSyncFinishedAt = :at, appliedSeq = :seq',
        ExpressionAttributeNames: { '#cluster': 'cluster' },
        ExpressionAttributeValues: { ':app': 'legacy', ':cluster': 'prod', ':at': record('legacy', 5).finishedAt, ':seq': 5 },
      }),
    );
    for (let i = 1; i <= 5; i++) {
      const entry = { ...record('legacy', i), id: `id${i}`, counts: {} };
      const { seq: _seq, ...fields } = entry;
      await doc.send(new PutCommand({ TableName: table.tableName, Item: { ...historyKey(ref, entry.finishedAt, entry.id), ...fields } }));
    }
    const store = table.store({ historyLimit: 3 });
    const adopted = await store.recordSync(record('legacy', 6), { dora: {} });
    expect(adopted.earlier?.map((entry) => entry.revision)).toEqual(['rev-5', 'rev-4', 'rev-3', 'rev-2', 'rev-1']);
    expect((await store.listHistory('legacy', 'prod', 100)).map((entry) => entry.revision)).toEqual(['rev-6', 'rev-5', 'rev-4']);
    // From then on, the counter alone.
    const operations = await counting((counted) => counted.recordSync(record('legacy', 7), { dora: {} }).then(() => undefined));
    expect(operations).toEqual(['UpdateItem', 'BatchWriteItem']);
    expect((await store.listHistory('legacy', 'prod', 100)).map((entry) => entry.revision)).toEqual(['rev-7', 'rev-6', 'rev-5']);
  });

  it('appends a restore entry under the counter and drops the DORA state, so the next record reads the history once', async () => {
    const store = table.store({ historyLimit: 3 });
    await store.recordSync(record('restored', 1), { dora: { baseline: 'rev-1' } });
    await store.appendHistory({ ...record('restored', 2), reason: 'restored' });
    const next = await store.recordSync(record('restored', 3), { dora: {} });
    expect(next.doraBefore).toBeUndefined();
    expect(next.earlier?.map((entry) => entry.revision)).toEqual(['rev-2', 'rev-1']);
  });
});
