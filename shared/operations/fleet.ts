// What operations look names up in: the registry and the recorded app targets' states, read
// together: one registry read and one scan of the targets, however large the fleet.
import type { Registry } from '../config/types.ts';
import type { StateStore } from '../state/store.ts';
import type { RegistryRecord, TargetState } from '../state/types.ts';

export interface Fleet {
  /** The registry the last config push stored; empty when there is none yet. */
  registry: Registry;
  /** Every app target's state; the registry job's bookkeeping target (`_…`) is not an app and left out. */
  states: TargetState[];
  /** The stored record (revision, time), when there is one. */
  record?: RegistryRecord;
}

export async function readFleet(store: Pick<StateStore, 'getRegistry' | 'listTargets'>): Promise<Fleet> {
  const [record, states] = await Promise.all([store.getRegistry(), store.listTargets()]);
  return {
    registry: record?.registry ?? { apps: [], clusters: [], projects: [] },
    states: states.filter((state) => !state.app.startsWith('_')),
    ...(record ? { record } : {}),
  };
}
