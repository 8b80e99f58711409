// Restore writes only what differs from what the table holds, so a second run over the same
// Git and clusters writes nothing at all.
import type { Registry } from '../config/types.ts';
import type { RegistryRecord, TargetState, TargetUpdate } from '../state/types.ts';
import { canonicalJson } from '../storage/render-key.ts';

/** Fields whose value is the time of the run, not what was found: they alone are no change. */
const TIMES = new Set(['restoredAt', 'updatedAt']);

/** True when every field of `update` (times aside) already has that value in `current`. */
export function stateUnchanged(current: TargetState | undefined, update: TargetUpdate): boolean {
  if (!current) return false;
  const held = current as unknown as Record<string, unknown>;
  return Object.entries(update).every(([field, value]) => TIMES.has(field) || value === undefined || canonicalJson(held[field]) === canonicalJson(value));
}

export function registryUnchanged(current: RegistryRecord | undefined, registry: Registry, revision: string): boolean {
  return current !== undefined && current.revision === revision && canonicalJson(current.registry) === canonicalJson(registry);
}
