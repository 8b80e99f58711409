// The claim: one conditional write takes a target for a sync job (its revision still the
// requested one, no other live lease, and with `unheld` nothing that holds an automated job),
// answering the state it replaced; a failed claim says why from one read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStateTable, type StateTable } from './table.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

let table: StateTable;
beforeAll(async () => {
  table = await startStateTable();
});
afterAll(() => table.stop());

const request = (owner: string, revision = A) => ({ revision, owner, ttlMs: 60_000 });

describe('claiming a target', () => {
  it('takes the lease, marks it Syncing and answers the state before, with the request it works for', async () => {
    const store = table.store();
    const ref = { app: 'claimed', cluster: 'prod' };
    await store.putTargetState({ ...ref, syncStatus: 'Synced', revision: B, namespace: 'shop' });
    expect(await store.requestSync(ref, A)).toBe(1);
    const claim = await store.claimTarget(ref, request('worker-a'));
    expect(claim).toMatchObject({ claimed: true, seq: 1, before: { syncStatus: 'Synced', revision: B, namespace: 'shop', requestedRevision: A } });
    expect(await store.getLease(ref)).toMatchObject({ owner: 'worker-a', expiresAtMs: table.clock.now + 60_000 });
    const state = await store.getTarget(ref.app, ref.cluster);
    expect(state).toMatchObject({ syncStatus: 'Syncing', lastSyncStartedAt: new Date(table.clock.now).toISOString() });
    // The lease is the store's bookkeeping, not a field of the state.
    expect(state).not.toHaveProperty('leaseOwner');
  });

  it('starts a target nobody requested a commit for at seq 0', async () => {
    const claim = await table.store().claimTarget({ app: 'fresh', cluster: 'prod' }, request('worker-a'));
    expect(claim).toMatchObject({ claimed: true, seq: 0, before: undefined });
    expect(await table.store().getTarget('fresh', 'prod')).toMatchObject({ requestedRevision: A, requestSeq: 0, syncStatus: 'Syncing' });
  });

  it('stands down for a newer request, and writes nothing', async () => {
    const store = table.store();
    const ref = { app: 'newer', cluster: 'prod' };
    await store.requestSync(ref, A);
    await store.requestSync(ref, B);
    const before = await store.getTarget(ref.app, ref.cluster);
    expect(await store.claimTarget(ref, request('worker-a', A))).toMatchObject({ claimed: false, why: 'superseded', state: { requestedRevision: B } });
    expect(await store.getTarget(ref.app, ref.cluster)).toEqual(before);
    expect(await store.getLease(ref)).toBeUndefined();
  });

  it("is refused while another worker's lease lives, and granted once it expired", async () => {
    const store = table.store();
    const ref = { app: 'busy', cluster: 'prod' };
    await store.requestSync(ref, A);
    expect(await store.acquireLease(ref, 'worker-b', 1_000)).toBe(true);
    expect(await store.claimTarget(ref, request('worker-a'))).toMatchObject({ claimed: false, why: 'leased', lease: { owner: 'worker-b' } });
    expect((await store.getTarget(ref.app, ref.cluster))?.syncStatus).toBeUndefined();
    // Its own lease is no obstacle (a redelivery to the same worker).
    expect(await store.claimTarget(ref, request('worker-b'))).toMatchObject({ claimed: true });
    table.clock.now += 60_001;
    expect(await store.claimTarget(ref, request('worker-a'))).toMatchObject({ claimed: true });
    expect(await store.getLease(ref)).toMatchObject({ owner: 'worker-a' });
  });

  it('with `unheld`, leaves a pinned or suspended target as it is; without, claims it', async () => {
    const store = table.store();
    for (const [app, hold] of [
      ['pinned', { pinnedRevision: A }],
      ['suspended', { suspended: true }],
    ] as const) {
      const ref = { app, cluster: 'prod' };
      await store.putTargetState({ ...ref, syncStatus: 'Synced', ...hold });
      const before = await store.getTarget(app, 'prod');
      expect(await store.claimTarget(ref, { ...request('worker-a'), unheld: true })).toMatchObject({ claimed: false, why: 'held' });
      expect(await store.getTarget(app, 'prod')).toEqual(before);
      expect(await store.getLease(ref)).toBeUndefined();
      expect(await store.claimTarget(ref, request('worker-a'))).toMatchObject({ claimed: true });
    }
  });

  it('records the pending status as posted, answering the one posted before', async () => {
    const store = table.store();
    const ref = { app: 'pending', cluster: 'prod' };
    const earlier = { sha: B, state: 'success', description: 'Synced and Healthy' };
    await store.putTargetState({ ...ref, lastPostedStatus: earlier });
    const pending = { sha: A, state: 'pending', description: 'Syncing pending to prod' };
    expect(await store.claimTarget(ref, { ...request('worker-a'), pendingStatus: pending })).toMatchObject({
      claimed: true,
      before: { lastPostedStatus: earlier },
    });
    expect((await store.getTarget(ref.app, ref.cluster))?.lastPostedStatus).toEqual(pending);
  });

  it('is given back by unclaim: what it set put back as it was, the lease gone, the message written', async () => {
    const store = table.store();
    const ref = { app: 'given-back', cluster: 'prod' };
    const posted = { sha: B, state: 'success', description: 'Synced and Healthy' };
    await store.putTargetState({ ...ref, syncStatus: 'Synced', lastSyncStartedAt: '2025-05-01T00:00:00.000Z', lastPostedStatus: posted });
    const claim = await store.claimTarget(ref, { ...request('worker-a'), pendingStatus: { sha: A, state: 'pending', description: 'Syncing' } });
    if (!claim.claimed) throw new Error('not claimed');
    // Not by another worker.
    expect(await store.unclaimTarget(ref, 'worker-b', claim.before, { message: 'stale' })).toBe(false);
    expect(await store.unclaimTarget(ref, 'worker-a', claim.before, { message: 'stale' })).toBe(true);
    expect(await store.getTarget(ref.app, ref.cluster)).toMatchObject({
      syncStatus: 'Synced',
      lastSyncStartedAt: '2025-05-01T00:00:00.000Z',
      lastPostedStatus: posted,
      message: 'stale',
    });
    expect(await store.getLease(ref)).toBeUndefined();
  });

  it('gives a target that had no state back without the fields it set', async () => {
    const store = table.store();
    const ref = { app: 'given-back-fresh', cluster: 'prod' };
    const claim = await store.claimTarget(ref, { ...request('worker-a'), pendingStatus: { sha: A, state: 'pending', description: 'Syncing' } });
    if (!claim.claimed) throw new Error('not claimed');
    await store.unclaimTarget(ref, 'worker-a', claim.before, {});
    const state = await store.getTarget(ref.app, ref.cluster);
    expect(state).not.toHaveProperty('syncStatus');
    expect(state).not.toHaveProperty('lastPostedStatus');
  });
});
