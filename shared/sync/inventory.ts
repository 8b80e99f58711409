// What a sync applied, kept by the caller between syncs: the service stores it in DynamoDB,
// the CLI in a ConfigMap in the cluster (inventory-configmap.ts). The next sync prunes by it
// and skips objects whose fingerprint did not change.
import { fingerprint } from '../kube/fingerprint.ts';
import { refOf, type ObjectRef } from '../kube/live.ts';
import type { KubeObject } from '../kube/object.ts';

export interface InventoryEntry extends ObjectRef {
  /** fingerprint() of the desired object as applied. */
  fingerprint: string;
}

export interface Inventory {
  app: string;
  revision?: string;
  entries: InventoryEntry[];
}

export interface InventoryStore {
  load(app: string): Promise<Inventory | undefined>;
  save(inventory: Inventory): Promise<void>;
}

/** Inventory entries are keyed as live objects are (group/kind/namespace/name). */
export { refKey as entryKey } from '../kube/live.ts';

/** The inventory entry of an object about to be applied: its reference and its fingerprint. */
export function entryOf(object: KubeObject): InventoryEntry {
  return { ...refOf(object), fingerprint: fingerprint(object) };
}
