// The upgrade from releases that kept a target's sync lease in an item of its own (`LEASE#…`)
// to the lease on the target's STATE item (lease.ts). During a deploy, workers of both kinds
// run for at most one invocation's length: an old one sees only lease items, a new one only
// target leases, so neither would see the other's. The rule that keeps one worker per target:
//
// - Schema migration 2 (schema.ts), run by the first new worker's cold start on a table an
//   older release used, records until when an old worker may still hold or take a lease item:
//   LEGACY_LEASE_WINDOW_MS from then (old workers take leases for at most their invocation's
//   remaining time plus a minute, at most 16 minutes, and none starts after the deploy).
// - Until then, a new worker also takes (and releases) the lease item beside its target lease,
//   exactly as the old release did, so each side sees the other. After it, lease items are
//   never read or written again, and the ones left behind are inert.
// - A table at schema version 1 (an older release's, migration 2 not recorded yet: a cold start
//   racing the one that runs it) is treated as inside the window, and asked again next time.
//   Version 0 (no worker ever ran on it) and a table migrated from 0 have no old workers.
//
// The window is read once per store (one BatchGetItem per cold start) and then only compared with the clock.
import { BatchGetCommand, DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { leaseKey, LEGACY_LEASES_KEY, type ItemKey } from './keys.ts';
import { conditional, epochSeconds, type Table } from './table.ts';
import type { TargetRef } from './types.ts';

/** The schema item (schema.ts's SCHEMA_KEY, repeated here: schema.ts imports this file). */
const SCHEMA_ITEM_KEY: ItemKey = { pk: 'META#schema', sk: 'SCHEMA' };
/** 16 minutes (Lambda's 15 and the lease margin) and one more for clocks that disagree. */
export const LEGACY_LEASE_WINDOW_MS = 17 * 60_000;

interface Window {
  /** Epoch ms until which lease items are honoured; undefined: not settled, read again. */
  untilMs?: number;
}

const windows = new WeakMap<Table, Window>();

/** True while a worker of an older release may hold a lease item. */
export async function legacyLeasesLive(table: Table): Promise<boolean> {
  let window = windows.get(table);
  if (window?.untilMs === undefined) {
    window = await readWindow(table);
    windows.set(table, window);
    if (window.untilMs === undefined) return true;
  }
  return table.now() < window.untilMs;
}

async function readWindow(table: Table): Promise<Window> {
  const answer = await table.doc.send(
    new BatchGetCommand({ RequestItems: { [table.name]: { Keys: [LEGACY_LEASES_KEY, SCHEMA_ITEM_KEY], ConsistentRead: true } } }),
  );
  // Two small keys: an unprocessed one (throttling) reads as "not settled", asked again on the next lease.
  if ((answer.UnprocessedKeys?.[table.name]?.Keys ?? []).length > 0) return {};
  const items = answer.Responses?.[table.name] ?? [];
  const legacy = items.find((item) => item.pk === LEGACY_LEASES_KEY.pk);
  if (legacy) return { untilMs: Number(legacy.untilMs) };
  const version = Number(items.find((item) => item.pk === SCHEMA_ITEM_KEY.pk)?.version ?? 0);
  return version === 1 ? {} : { untilMs: 0 };
}

/** Migration 2's record: lease items are honoured until `now + LEGACY_LEASE_WINDOW_MS`. */
export async function recordLegacyLeaseWindow(table: Table): Promise<void> {
  const untilMs = table.now() + LEGACY_LEASE_WINDOW_MS;
  await table.doc.send(new PutCommand({ TableName: table.name, Item: { ...LEGACY_LEASES_KEY, untilMs, since: new Date(table.now()).toISOString() } }));
}

/** The lease item as the older release took it. */
export async function acquireLegacyLease(table: Table, target: TargetRef, owner: string, ttlMs: number): Promise<boolean> {
  const now = table.now();
  return conditional(
    table.doc.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...leaseKey(target), owner, expiresAtMs: now + ttlMs, expiresAt: epochSeconds(now + ttlMs) + 1 },
        ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAtMs < :now OR #owner = :owner',
        ExpressionAttributeNames: { '#pk': 'pk', '#expiresAtMs': 'expiresAtMs', '#owner': 'owner' },
        ExpressionAttributeValues: { ':now': now, ':owner': owner },
      }),
    ),
  );
}

export async function releaseLegacyLease(table: Table, target: TargetRef, owner: string): Promise<boolean> {
  return conditional(
    table.doc.send(
      new DeleteCommand({
        TableName: table.name,
        Key: leaseKey(target),
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    ),
  );
}
