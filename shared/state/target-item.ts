// Maps a target's state to its item and back. Only the inventory is stored differently from
// its field (compressed, see inventory-codec.ts); drifted objects are capped so a cluster
// drifting wholesale cannot push the item over DynamoDB's size limit.
import { targetId } from '../queue/job.ts';
import { decodeInventory, encodeInventory } from './inventory-codec.ts';
import type { TargetField, TargetState, TargetUpdate } from './types.ts';

export const MAX_DRIFTED_OBJECTS = 50;

const INVENTORY_ATTRIBUTE = 'inventoryGz';
const KEY_ATTRIBUTES = new Set(['pk', 'sk', INVENTORY_ATTRIBUTE]);

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
