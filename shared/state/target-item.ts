// Maps a target's state to its item and back. Only the inventory is stored differently from
// its field (compressed, see inventory-codec.ts); drifted objects are capped so a cluster
// drifting wholesale cannot push the item over DynamoDB's size limit.
import { targetId } from '../queue/job.ts';
import { decodeInventory, encodeInventory } from './inventory-codec.ts';
import type { SyncRecord, TargetField, TargetState, TargetUpdate } from './types.ts';

export const MAX_DRIFTED_OBJECTS = 50;

const INVENTORY_ATTRIBUTE = 'inventoryGz';

/**
 * The store's own bookkeeping on the STATE item, never part of a TargetState: the sync lease
 * (lease.ts; read with getLease), the history counter and the limit it was last trimmed to
 * (record-sync.ts), and the DORA state the history left (shared/dora/events.ts, returned by the
 * claim and the record). Note: no `expiresAt` here, the table's TTL attribute, or the target would expire.
 */
export const ITEM = {
  leaseOwner: 'leaseOwner',
  leaseExpiresAtMs: 'leaseExpiresAtMs',
  historySeq: 'historySeq',
  historyKeep: 'historyKeep',
  doraState: 'doraState',
} as const;

const KEY_ATTRIBUTES = new Set<string>(['pk', 'sk', INVENTORY_ATTRIBUTE, ...Object.values(ITEM)]);

export function attributeOf(field: TargetField): string {
  return field === 'inventory' ? INVENTORY_ATTRIBUTE : field;
}

/** The attributes to SET for an update; fields left undefined are not part of it. */
export function targetAttributes(update: TargetUpdate): Record<string, unknown> {
  const { app, cluster, inventory, driftedObjects, ...rest } = update;
  const attributes: Record<string, unknown> = { app, cluster, ...rest };
  if (inventory !== undefined) attributes[INVENTORY_ATTRIBUTE] = encodeInventory(targetId(app, cluster), inventory);
  if (driftedObjects !== undefined) {
    attributes.driftedObjects = driftedObjects.slice(0, MAX_DRIFTED_OBJECTS);
    attributes.driftedCount = update.driftedCount ?? driftedObjects.length;
  }
  return attributes;
}

export function targetFromItem(item: Record<string, unknown>): TargetState {
  const state: Record<string, unknown> = {};
  for (const [attribute, value] of Object.entries(item)) {
    if (!KEY_ATTRIBUTES.has(attribute)) state[attribute] = value;
  }
  if (item[INVENTORY_ATTRIBUTE] !== undefined) state.inventory = decodeInventory(String(item.pk), item[INVENTORY_ATTRIBUTE]);
  return state as unknown as TargetState;
}

/** The result's fields on the target, as a record writes them (record-sync.ts, and target.ts's writeSyncResult). */
export function resultAttributes(record: SyncRecord, namespace: string | undefined): Record<string, unknown> {
  return targetAttributes({
    namespace,
    app: record.app,
    cluster: record.cluster,
    syncStatus: record.status,
    health: record.health,
    message: record.message,
    lastSyncStartedAt: record.startedAt,
    lastSyncFinishedAt: record.finishedAt,
    durationMs: record.durationMs,
    // Only a successful sync moves the applied revision; a failed one leaves the last good one.
    revision: record.status === 'Synced' ? record.revision : undefined,
    inventory: record.inventory,
    renderKey: record.renderKey,
    // The sources move with the applied revision: what the drift scan renders again.
    sources: record.status === 'Synced' ? record.sources : undefined,
  });
}
