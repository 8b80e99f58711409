// What restore reads and writes in the state table: the slice of DynamoStateStore it uses.
import type { Registry } from '../config/types.ts';
import type { HistoryEntry, RegistryRecord, SyncSummary, TargetState, TargetUpdate } from '../state/types.ts';

export interface RestoreStore {
  hasAnyItem(): Promise<boolean>;
  getRegistry(): Promise<RegistryRecord | undefined>;
  putRegistry(registry: Registry, revision: string): Promise<void>;
  listTargets(): Promise<TargetState[]>;
  putTargetState(update: TargetUpdate): Promise<void>;
  appendHistory(summary: SyncSummary): Promise<HistoryEntry>;
}
