import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../shared/state/types.ts';
import { startStateTable, type StateTable } from './table.ts';

describe('sync history', () => {
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
      status: i % 2 === 0 ? 'Synced' : 'Failed',
      health: 'Healthy',
      message: `sync ${i}`,
      startedAt: finishedAt,
      finishedAt,
      durationMs: i,
      reason: 'push',
      counts: { created: i, unchanged: 1 },
    };
  }

  it('keeps the newest N entries and lists them newest first', async () => {
    const store = table.store({ historyLimit: 5 });
    for (let i = 1; i <= 12; i++) await store.recordSyncResult(record('bounded', i));
    const history = await store.listHistory('bounded', 'prod', 100);
    expect(history.map((entry) => entry.revision)).toEqual(['rev-12', 'rev-11', 'rev-10', 'rev-9', 'rev-8']);
    expect(history[0]).toMatchObject({
      app: 'bounded',
      cluster: 'prod',
      status: 'Synced',
      message: 'sync 12',
      durationMs: 12,
      counts: { created: 12, unchanged: 1 },
    });
    expect(history[0]).not.toHaveProperty('pk');
  });

  it('answers with at most `limit` entries', async () => {
    const store = table.store({ historyLimit: 50 });
    for (let i = 1; i <= 8; i++) await store.recordSyncResult(record('limited', i));
    expect((await store.listHistory('limited', 'prod', 3)).map((entry) => entry.revision)).toEqual(['rev-8', 'rev-7', 'rev-6']);
    expect(await store.listHistory('limited', 'prod', 50)).toHaveLength(8);
  });

  it('does not count the target state item as history', async () => {
    const store = table.store({ historyLimit: 2 });
    for (let i = 1; i <= 3; i++) await store.recordSyncResult(record('withstate', i));
    expect(await store.getTarget('withstate', 'prod')).toMatchObject({ revision: 'rev-2', syncStatus: 'Failed', appliedSeq: 3 });
    expect(await store.listHistory('withstate', 'prod', 10)).toHaveLength(2);
  });
});
