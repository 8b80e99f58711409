// A refused request is taken back only while it is still the target's request: a newer push
// requested meanwhile keeps its claim, so its job is not stood down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStateTable, type StateTable } from './table.ts';

const applied = 'a'.repeat(40);
const replayed = 'b'.repeat(40);
const newer = 'c'.repeat(40);

describe('withdrawRequest', () => {
  let table: StateTable;
  beforeAll(async () => {
    table = await startStateTable();
  });
  afterAll(() => table.stop());

  it('puts the request back to the applied commit while it is the refused one', async () => {
    const store = table.store();
    const ref = { app: 'web', cluster: 'prod' };
    await store.requestSync(ref, replayed);
    expect(await store.withdrawRequest(ref, replayed, applied)).toBe(true);
    expect((await store.getTarget('web', 'prod'))?.requestedRevision).toBe(applied);
    // The newer commit can still be claimed after its own request.
    await store.requestSync(ref, newer);
    expect(await store.beginSync(ref, newer)).toMatchObject({ started: true });
  });

  it('leaves a newer request alone', async () => {
    const store = table.store();
    const ref = { app: 'api', cluster: 'prod' };
    await store.requestSync(ref, replayed);
    await store.requestSync(ref, newer);
    expect(await store.withdrawRequest(ref, replayed, applied)).toBe(false);
    expect((await store.getTarget('api', 'prod'))?.requestedRevision).toBe(newer);
    expect(await store.beginSync(ref, newer)).toMatchObject({ started: true });
  });
});
