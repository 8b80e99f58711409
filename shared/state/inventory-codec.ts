// The inventory is stored in the target's item as gzip-compressed JSON (binary attribute).
// Decision: no spill to S3. Entries compress well except their fingerprints (~32 bytes of
// entropy each), so the 300 KB budget (leaving room in DynamoDB's 400 KB item for the rest of
// the state) holds several thousand objects per application. An application beyond that is
// refused with InventoryTooLargeError rather than silently losing what to prune.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Inventory } from '../sync/inventory.ts';
import { CorruptItemError, InventoryTooLargeError } from './errors.ts';

export const MAX_INVENTORY_BYTES = 300 * 1024;

export function encodeInventory(target: string, inventory: Inventory): Uint8Array {
  const bytes = gzipSync(JSON.stringify(inventory));
  if (bytes.byteLength > MAX_INVENTORY_BYTES) throw new InventoryTooLargeError(target, bytes.byteLength, MAX_INVENTORY_BYTES);
  return bytes;
}

export function decodeInventory(key: string, bytes: unknown): Inventory {
  if (!(bytes instanceof Uint8Array)) throw new CorruptItemError(key, 'inventory is not a binary attribute');
  let value: unknown;
  try {
    value = JSON.parse(gunzipSync(bytes).toString('utf8'));
  } catch (error) {
    throw new CorruptItemError(key, 'inventory is not gzip-compressed JSON', { cause: error });
  }
  const inventory = value as Partial<Inventory> | null;
  if (typeof inventory?.app !== 'string' || !Array.isArray(inventory.entries)) {
    throw new CorruptItemError(key, 'inventory lacks app or entries');
  }
  return inventory as Inventory;
}
