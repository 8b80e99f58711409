// A lease per target: one worker at a time applies to an app on a cluster, even when SQS
// delivers a message twice or a drift-scan self-heal races a push. Leases expire, so a
// crashed holder blocks the target for at most its TTL.
//
// The lease lives on the target's STATE item (`leaseOwner`, `leaseExpiresAtMs`), so a sync
// takes it with the same conditional write that claims its request (claim.ts) and gives it
// back with the write that records its result (record-sync.ts): no item and no request of its
// own, and every read of the target (the cluster scan's) carries it. Releases before kept it in
// a `LEASE#` item; legacy-lease.ts says how the upgrade keeps one worker per target.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { targetKey } from './keys.ts';
import { acquireLegacyLease, legacyLeasesLive, releaseLegacyLease } from './legacy-lease.ts';
import { conditional, type Table } from './table.ts';
import { ITEM } from './target-item.ts';
import type { ExpressionBuilder } from './update-expression.ts';
import type { LeaseRecord, TargetRef } from './types.ts';

const NAMES = { '#owner': ITEM.leaseOwner, '#expires': ITEM.leaseExpiresAtMs };

/** The condition "nobody else holds a live lease": free, expired, or `owner`'s own. */
export function leaseFreeFor(builder: ExpressionBuilder, owner: string, now: number): string {
  const held = builder.name(ITEM.leaseOwner);
  return `(attribute_not_exists(${held}) OR ${builder.name(ITEM.leaseExpiresAtMs)} < ${builder.value(now)} OR ${held} = ${builder.value(owner)})`;
}

/** The lease an item carries; an expired one reads as none. */
export function leaseFromItem(item: Record<string, unknown> | undefined, now: number): LeaseRecord | undefined {
  if (item?.[ITEM.leaseOwner] === undefined || Number(item[ITEM.leaseExpiresAtMs]) < now) return undefined;
  return { owner: String(item[ITEM.leaseOwner]), expiresAtMs: Number(item[ITEM.leaseExpiresAtMs]) };
}

export async function acquireLease(table: Table, target: TargetRef, owner: string, ttlMs: number): Promise<boolean> {
  const now = table.now();
  const taken = await conditional(
    table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: targetKey(target),
        // app and cluster: a lease taken before any state still makes a well-formed target item.
        UpdateExpression: 'SET #app = :app, #cluster = :cluster, #owner = :owner, #expires = :expires',
        ConditionExpression: 'attribute_not_exists(#owner) OR #expires < :now OR #owner = :owner',
        ExpressionAttributeNames: { ...NAMES, '#app': 'app', '#cluster': 'cluster' },
        ExpressionAttributeValues: { ':app': target.app, ':cluster': target.cluster, ':owner': owner, ':expires': now + ttlMs, ':now': now },
      }),
    ),
  );
  if (!taken) return false;
  return alsoLegacyLease(table, target, owner, ttlMs);
}

/**
 * Inside the upgrade window, the lease item too (legacy-lease.ts); when an old worker holds it,
 * the target lease just taken is given back and the answer is "busy".
 */
export async function alsoLegacyLease(table: Table, target: TargetRef, owner: string, ttlMs: number): Promise<boolean> {
  if (!(await legacyLeasesLive(table))) return true;
  if (await acquireLegacyLease(table, target, owner, ttlMs)) return true;
  await releaseLease(table, target, owner);
  return false;
}

export async function renewLease(table: Table, target: TargetRef, owner: string, ttlMs: number): Promise<boolean> {
  const now = table.now();
  // Only the owner condition: an expired lease nobody took is still ours to extend, and one
  // that was taken (or released) fails it.
  const renewed = await conditional(
    table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: targetKey(target),
        UpdateExpression: 'SET #expires = :expires',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ':expires': now + ttlMs, ':owner': owner },
      }),
    ),
  );
  if (renewed && (await legacyLeasesLive(table))) await acquireLegacyLease(table, target, owner, ttlMs);
  return renewed;
}

export async function releaseLease(table: Table, target: TargetRef, owner: string): Promise<boolean> {
  const released = await conditional(
    table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: targetKey(target),
        UpdateExpression: 'REMOVE #owner, #expires',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ':owner': owner },
      }),
    ),
  );
  await releaseLegacyLeaseInWindow(table, target, owner);
  return released;
}

/** The lease item too, while the upgrade window is open: the record's release (record-sync.ts) calls it as well. */
export async function releaseLegacyLeaseInWindow(table: Table, target: TargetRef, owner: string): Promise<void> {
  if (await legacyLeasesLive(table)) await releaseLegacyLease(table, target, owner);
}

export async function getLease(table: Table, target: TargetRef): Promise<LeaseRecord | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.name,
      Key: targetKey(target),
      ConsistentRead: true,
      ProjectionExpression: '#owner, #expires',
      ExpressionAttributeNames: NAMES,
    }),
  );
  return leaseFromItem(Item, table.now());
}
