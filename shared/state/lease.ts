// A lease per target: one worker at a time applies to an app on a cluster, even when SQS
// delivers a message twice or a drift-scan self-heal races a push. Leases expire, so a
// crashed holder blocks the target for at most its TTL.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { leaseKey } from './keys.ts';
import { conditional, epochSeconds, type Table } from './table.ts';
import type { LeaseRecord, TargetRef } from './types.ts';

const OWNER = { '#owner': 'owner' };

export async function acquireLease(table: Table, target: TargetRef, owner: string, ttlMs: number): Promise<boolean> {
  const now = table.now();
  return conditional(
    table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...leaseKey(target), owner, expiresAtMs: now + ttlMs, expiresAt: epochSeconds(now + ttlMs) + 1 },
        ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAtMs < :now OR #owner = :owner',
        ExpressionAttributeNames: { '#pk': 'pk', '#expiresAtMs': 'expiresAtMs', ...OWNER },
        ExpressionAttributeValues: { ':now': now, ':owner': owner },
      }),
    ),
  );
}

export async function renewLease(table: Table, target: TargetRef, owner: string, ttlMs: number): Promise<boolean> {
  const now = table.now();
  // Only the owner condition: an expired lease nobody took is still ours to extend, and one
  // that was taken (or released and deleted) fails it.
  return conditional(
    table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: leaseKey(target),
        UpdateExpression: 'SET #expiresAtMs = :expiresAtMs, #expiresAt = :expiresAt',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#expiresAtMs': 'expiresAtMs', '#expiresAt': 'expiresAt', ...OWNER },
        ExpressionAttributeValues: { ':expiresAtMs': now + ttlMs, ':expiresAt': epochSeconds(now + ttlMs) + 1, ':owner': owner },
      }),
    ),
  );
}

export async function releaseLease(table: Table, target: TargetRef, owner: string): Promise<boolean> {
  return conditional(
    table.doc.send(
      new DeleteCommand({
        TableName: table.name,
        Key: leaseKey(target),
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: OWNER,
        ExpressionAttributeValues: { ':owner': owner },
      }),
    ),
  );
}

export async function getLease(table: Table, target: TargetRef): Promise<LeaseRecord | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: leaseKey(target), ConsistentRead: true }));
  if (!Item || Number(Item.expiresAtMs) < table.now()) return undefined;
  return { owner: String(Item.owner), expiresAtMs: Number(Item.expiresAtMs) };
}
