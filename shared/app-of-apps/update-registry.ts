// Read, change, write back the registry without losing a write that came in between: the
// write names the version it read, and a conflict starts again from a fresh read. Config
// refreshes and parents' children both go through here.
import type { Registry } from '../config/types.ts';
import type { StateStore } from '../state/store.ts';
import type { RegistryRecord } from '../state/types.ts';
import { RegistryConflictError } from './errors.ts';

const ATTEMPTS = 8;

/** `change` returns the registry and revision to write, or undefined to write nothing; returns what `change` returned last. */
export async function updateRegistry<T extends { registry: Registry; revision: string }>(
  store: Pick<StateStore, 'getVersionedRegistry' | 'putRegistryIf'>,
  change: (current: RegistryRecord | undefined) => T | undefined,
): Promise<T | undefined> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const { record, version } = await store.getVersionedRegistry();
    const next = change(record);
    if (!next) return undefined;
    if (await store.putRegistryIf(next.registry, next.revision, version)) return next;
  }
  throw new RegistryConflictError(ATTEMPTS);
}
