// recordSync reads the target's history once, before the append: that read answers the
// caller (the DORA signals: the history as it stood before this result) and tells the trim
// what falls beyond the limit. The partition must still end with exactly the newest N entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('recording a sync', () => {
  it('answers the history before this result, newest first, without it', async () => {
    const store = table.store({ historyLimit: 50 });
    for (let i = 1; i <= 3; i++) await store.recordSync(record('earlier', i));
    const { written, earlier } = await store.recordSync(record('earlier', 4));
    expect(written).toBe(true);
    expect(earlier.map((entry) => entry.revision)).toEqual(['rev-3', 'rev-2', 'rev-1']);
    expect(earlier[0]).not.toHaveProperty('pk');
    expect(earlier[0]).not.toHaveProperty('expiresAt');
  });

  it('trims everything beyond a lowered limit in one record', async () => {
    for (let i = 1; i <= 9; i++) await table.store({ historyLimit: 50 }).recordSync(record('lowered', i));
    await table.store({ historyLimit: 3 }).recordSync(record('lowered', 10));
    expect((await table.store().listHistory('lowered', 'prod', 100)).map((entry) => entry.revision)).toEqual(['rev-10', 'rev-9', 'rev-8']);
  });

  it('makes one Query and one BatchWriteItem for the history of a target at its limit', async () => {
    const operations: string[] = [];
    const client = table.client;
    client.middlewareStack.add(
      (next, context) => (args) => {
        operations.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countOperations' },
    );
    const store = table.store({ client, historyLimit: 3 });
    for (let i = 1; i <= 4; i++) await store.recordSync(record('full', i));
    operations.length = 0;
    await store.recordSync(record('full', 5));
    expect(operations).toEqual(['UpdateItemCommand', 'QueryCommand', 'BatchWriteItemCommand']);
    expect((await store.listHistory('full', 'prod', 100)).map((entry) => entry.revision)).toEqual(['rev-5', 'rev-4', 'rev-3']);
    client.middlewareStack.remove('countOperations');
  });

  it('does not keep a late result older than the newest N, and keeps N', async () => {
    const store = table.store({ historyLimit: 3 });
    for (const i of [5, 6, 7]) await store.recordSync(record('late', i));
    await store.recordSync(record('late', 2));
    expect((await store.listHistory('late', 'prod', 100)).map((entry) => entry.revision)).toEqual(['rev-7', 'rev-6', 'rev-5']);
    await store.recordSync(record('late', 8));
    expect((await store.listHistory('late', 'prod', 100)).map((entry) => entry.revision)).toEqual(['rev-8', 'rev-7', 'rev-6']);
  });
});
