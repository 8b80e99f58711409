import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncRecord, TargetRef } from '../../shared/state/types.ts';
import { startStateTable, type StateTable } from './table.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function result(target: TargetRef, revision: string, seq: number): SyncRecord {
  return {
    ...target,
    seq,
    revision,
    status: 'Synced',
    health: 'Healthy',
    message: `applied ${revision.slice(0, 7)}`,
    startedAt: '2025-06-01T12:00:00.000Z',
    finishedAt: '2025-06-01T12:00:05.000Z',
    durationMs: 5000,
    reason: 'push',
  };
}

describe('two pushes in quick succession end with the later commit applied', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await startStateTable();
  });
  afterAll(() => table.stop());

  it('numbers requests in the order they are made', async () => {
    const store = table.store();
    const target = { app: 'numbered', cluster: 'prod' };
    expect(await store.requestSync(target, A)).toBe(1);
    expect(await store.requestSync(target, B)).toBe(2);
    expect(await store.getTarget(target.app, target.cluster)).toMatchObject({ requestedRevision: B, requestSeq: 2 });
  });

  it('skips the older job still queued when both pushes were enqueued before it ran', async () => {
    const store = table.store();
    const target = { app: 'queued', cluster: 'prod' };
    await store.requestSync(target, A);
    await store.requestSync(target, B);

    expect(await store.beginSync(target, A)).toEqual({ started: false, requestedRevision: B });
    const start = await store.beginSync(target, B);
    expect(start).toEqual({ started: true, seq: 2 });
    expect(await store.recordSyncResult(result(target, B, 2))).toBe(true);
    expect(await store.getTarget(target.app, target.cluster)).toMatchObject({ revision: B, syncStatus: 'Synced', appliedSeq: 2 });
  });

  it('keeps the later commit when the older sync finishes last', async () => {
    const store = table.store();
    const target = { app: 'late', cluster: 'prod' };
    await store.requestSync(target, A);
    const first = await store.beginSync(target, A);
    expect(first).toEqual({ started: true, seq: 1 });
    await store.requestSync(target, B);
    // The first worker's lease ran out mid-sync and the second one went ahead.
    const second = await store.beginSync(target, B);
    expect(second).toEqual({ started: true, seq: 2 });
    expect(await store.recordSyncResult(result(target, B, 2))).toBe(true);
    expect(await store.recordSyncResult(result(target, A, 1))).toBe(false);

    expect(await store.getTarget(target.app, target.cluster)).toMatchObject({ revision: B, appliedSeq: 2, message: `applied ${B.slice(0, 7)}` });
    const history = await store.listHistory(target.app, target.cluster, 10);
    expect(history.map((entry) => entry.revision).sort()).toEqual([A, B]);
  });

  it('records the older result first and then the later one over it', async () => {
    const store = table.store();
    const target = { app: 'inorder', cluster: 'prod' };
    await store.requestSync(target, A);
    await store.beginSync(target, A);
    await store.requestSync(target, B);
    expect(await store.recordSyncResult(result(target, A, 1))).toBe(true);
    expect(await store.beginSync(target, B)).toEqual({ started: true, seq: 2 });
    expect(await store.recordSyncResult(result(target, B, 2))).toBe(true);
    expect(await store.getTarget(target.app, target.cluster)).toMatchObject({ revision: B });
  });

  it('lets a target nobody requested a commit for sync at seq 0', async () => {
    const store = table.store();
    const target = { app: 'fresh', cluster: 'prod' };
    expect(await store.beginSync(target, A)).toEqual({ started: true, seq: 0 });
    expect(await store.getTarget(target.app, target.cluster)).toMatchObject({ requestedRevision: A, syncStatus: 'Syncing' });
  });

  it('leaves the applied revision alone when a sync fails', async () => {
    const store = table.store();
    const target = { app: 'failing', cluster: 'prod' };
    await store.requestSync(target, A);
    await store.beginSync(target, A);
    await store.recordSyncResult(result(target, A, 1));
    await store.requestSync(target, B);
    await store.beginSync(target, B);
    expect(await store.recordSyncResult({ ...result(target, B, 2), status: 'Failed', health: 'Degraded', message: 'Deployment/shop/web: timed out' })).toBe(
      true,
    );
    expect(await store.getTarget(target.app, target.cluster)).toMatchObject({ revision: A, requestedRevision: B, syncStatus: 'Failed' });
  });
});
