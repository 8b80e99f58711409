// The upgrade from lease items (`LEASE#…`, releases before) to leases on the target item: while
// a worker of the older release may still hold a lease item (17 minutes from schema migration 2
// on a table that release used), a claim also takes the lease item and honours a live one;
// before and after that, lease items are neither read nor written.
import { GetCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseKey } from '../../shared/state/keys.ts';
import { migrate, SCHEMA_KEY, schemaTable } from '../../shared/state/schema.ts';
import { startStateTable, type StateTable } from './table.ts';

const A = 'a'.repeat(40);

let table: StateTable;
let doc: DynamoDBDocumentClient;
beforeAll(async () => {
  table = await startStateTable();
  doc = DynamoDBDocumentClient.from(table.client);
});
afterAll(() => table.stop());

async function leaseItem(app: string): Promise<Record<string, unknown> | undefined> {
  return (await doc.send(new GetCommand({ TableName: table.tableName, Key: leaseKey({ app, cluster: 'prod' }), ConsistentRead: true }))).Item;
}

describe('lease items of an older release', () => {
  it('are not written on a table no worker used before (schema version 0)', async () => {
    const store = table.store();
    expect(await store.claimTarget({ app: 'new-table', cluster: 'prod' }, { revision: A, owner: 'worker-a', ttlMs: 60_000 })).toMatchObject({ claimed: true });
    expect(await leaseItem('new-table')).toBeUndefined();
  });

  it('are honoured and taken beside the target lease from migration 2 of an older release’s table, for 17 minutes', async () => {
    // The older release's table: migration 1 recorded.
    await doc.send(new PutCommand({ TableName: table.tableName, Item: { ...SCHEMA_KEY, version: 1 } }));
    // A new worker's cold start racing the one that migrates: inside the window too.
    const early = table.store();
    expect(await early.claimTarget({ app: 'racing', cluster: 'prod' }, { revision: A, owner: 'worker-a', ttlMs: 60_000 })).toMatchObject({ claimed: true });
    expect(await leaseItem('racing')).toMatchObject({ owner: 'worker-a' });

    expect(await migrate(schemaTable(table.client, table.tableName, () => table.clock.now))).toMatchObject({ from: 1, to: 2, applied: [2] });
    const store = table.store();
    // An old worker holds web@prod's lease item: a new worker's claim is refused and leaves no lease behind.
    await doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...leaseKey({ app: 'web', cluster: 'prod' }), owner: 'old-worker', expiresAtMs: table.clock.now + 60_000 },
      }),
    );
    expect(await store.claimTarget({ app: 'web', cluster: 'prod' }, { revision: A, owner: 'worker-a', ttlMs: 60_000 })).toMatchObject({
      claimed: false,
      why: 'leased',
    });
    expect(await store.getLease({ app: 'web', cluster: 'prod' })).toBeUndefined();
    // A target no old worker holds: both leases taken, so an old worker sees this one; the record's release gives both back.
    expect(await store.claimTarget({ app: 'api', cluster: 'prod' }, { revision: A, owner: 'worker-a', ttlMs: 60_000 })).toMatchObject({ claimed: true });
    expect(await leaseItem('api')).toMatchObject({ owner: 'worker-a' });
    expect(await store.releaseLease({ app: 'api', cluster: 'prod' }, 'worker-a')).toBe(true);
    expect(await leaseItem('api')).toBeUndefined();

    // 17 minutes on, no old worker can hold one: lease items are left alone.
    table.clock.now += 17 * 60_000;
    expect(await store.claimTarget({ app: 'web', cluster: 'prod' }, { revision: A, owner: 'worker-a', ttlMs: 60_000 })).toMatchObject({ claimed: true });
    expect(await leaseItem('web')).toMatchObject({ owner: 'old-worker' });
  });
});
