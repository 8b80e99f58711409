import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStateTable, type StateTable } from './table.ts';

describe('webhook delivery dedupe', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await startStateTable();
  });
  afterAll(() => table.stop());

  it('remembers a delivery the first time only', async () => {
    const store = table.store();
    expect(await store.rememberDelivery('72d3162e-cc78-11e3-81ab-4c9367dc0958', 3600)).toBe(true);
    expect(await store.rememberDelivery('72d3162e-cc78-11e3-81ab-4c9367dc0958', 3600)).toBe(false);
    expect(await store.rememberDelivery('another-delivery', 3600)).toBe(true);
  });

  it('treats an expired delivery as never seen, though DynamoDB has not deleted it yet', async () => {
    const store = table.store();
    expect(await store.rememberDelivery('redelivered-late', 60)).toBe(true);
    table.clock.now += 59_000;
    expect(await store.rememberDelivery('redelivered-late', 60)).toBe(false);
    table.clock.now += 1_000;
    expect(await store.rememberDelivery('redelivered-late', 60)).toBe(true);
    expect(await store.rememberDelivery('redelivered-late', 60)).toBe(false);
  });

  it('counts a forgotten delivery as new, so a redelivery after a failed enqueue is handled', async () => {
    const store = table.store();
    expect(await store.rememberDelivery('enqueue-failed', 3600)).toBe(true);
    await store.forgetDelivery('enqueue-failed');
    expect(await store.rememberDelivery('enqueue-failed', 3600)).toBe(true);
    expect(await store.rememberDelivery('enqueue-failed', 3600)).toBe(false);
  });
});
