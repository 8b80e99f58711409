import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStateTable, type StateTable } from './table.ts';

describe('target lease', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await startStateTable();
  });
  afterAll(() => table.stop());

  it('is held by one owner at a time until released', async () => {
    const store = table.store();
    const target = { app: 'shop', cluster: 'prod' };
    expect(await store.acquireLease(target, 'worker-a', 60_000)).toBe(true);
    expect(await store.acquireLease(target, 'worker-b', 60_000)).toBe(false);
    expect(await store.getLease(target)).toMatchObject({ owner: 'worker-a' });
    expect(await store.releaseLease(target, 'worker-b')).toBe(false);
    expect(await store.releaseLease(target, 'worker-a')).toBe(true);
    expect(await store.getLease(target)).toBeUndefined();
    expect(await store.acquireLease(target, 'worker-b', 60_000)).toBe(true);
  });

  it('decides two simultaneous claims for exactly one owner', async () => {
    const store = table.store();
    const target = { app: 'race', cluster: 'prod' };
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => store.acquireLease(target, owner, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('may be taken over once expired, and the former owner can then neither renew nor release it', async () => {
    const store = table.store();
    const target = { app: 'shop', cluster: 'staging' };
    expect(await store.acquireLease(target, 'worker-a', 1_000)).toBe(true);
    table.clock.now += 1_001;
    expect(await store.getLease(target)).toBeUndefined();
    expect(await store.acquireLease(target, 'worker-b', 1_000)).toBe(true);
    expect(await store.renewLease(target, 'worker-a', 1_000)).toBe(false);
    expect(await store.releaseLease(target, 'worker-a')).toBe(false);
    expect(await store.getLease(target)).toMatchObject({ owner: 'worker-b' });
  });

  it('is kept by renewing it before it expires', async () => {
    const store = table.store();
    const target = { app: 'slow', cluster: 'prod' };
    expect(await store.acquireLease(target, 'worker-a', 1_000)).toBe(true);
    table.clock.now += 900;
    expect(await store.renewLease(target, 'worker-a', 1_000)).toBe(true);
    table.clock.now += 900;
    expect(await store.acquireLease(target, 'worker-b', 1_000)).toBe(false);
    expect(await store.acquireLease(target, 'worker-a', 1_000)).toBe(true);
  });

  it('cannot be renewed by someone who never held it', async () => {
    const store = table.store();
    expect(await store.renewLease({ app: 'none', cluster: 'prod' }, 'worker-a', 1_000)).toBe(false);
    expect(await store.getLease({ app: 'none', cluster: 'prod' })).toBeUndefined();
  });
});
