// The StateStore on one DynamoDB table (layout in keys.ts). Handlers build it once per cold
// start from the table name in their environment; local mode and tests point the client at
// dynalite.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Registry } from '../config/types.ts';
import { hasAnyItem } from './any-item.ts';
import { forgetDelivery, rememberDelivery } from './delivery.ts';
import { getHead, putHead } from './heads.ts';
import { DEFAULT_HISTORY_LIMIT, listHistory } from './history.ts';
import { appendHistoryEntry, putDoraState, recordSync, type RecordedSync, type RecordOptions } from './record-sync.ts';
import { claimTarget, unclaimTarget, type Claim, type ClaimRequest } from './claim.ts';
import type { DoraState } from '../dora/events.ts';
import { acquireLease, getLease, releaseLease, renewLease } from './lease.ts';
import { getPushIndex, getRegistry, getVersionedRegistry, putRegistry, putRegistryIf } from './registry.ts';
import type { StateStore } from './store.ts';
import { openTable, type Table } from './table.ts';
import { beginSync, getTarget, listTargets, putTargetState, requestSync } from './target.ts';
import { withdrawRequest } from './withdraw-request.ts';
import { getTargetsWithLeases, type TargetWithLease } from './targets-with-leases.ts';
import { removeTarget } from './remove-target.ts';
import { getWavePlan, putWavePlan } from './wave-plan.ts';
import { getTargets } from './targets-batch.ts';
import { markRollout } from './mark-rollout.ts';
import { getRollout, listRollouts, putRollout } from './rollout-state.ts';
import type { RolloutState, TargetRollout } from '../rollout/types.ts';
import type {
  HistoryEntry,
  LeaseRecord,
  RegistryRecord,
  RepoHead,
  SyncRecord,
  SyncStart,
  SyncSummary,
  TargetField,
  TargetRef,
  TargetState,
  TargetUpdate,
  WavePlan,
} from './types.ts';

export interface DynamoStateStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** History entries kept per target. */
  historyLimit?: number;
  /** Epoch milliseconds; tests move it to expire leases and deliveries. */
  now?: () => number;
}

export class DynamoStateStore implements StateStore {
  private readonly table: Table;
  private readonly historyLimit: number;

  constructor(options: DynamoStateStoreOptions) {
    this.table = openTable(options.client, options.tableName, options.now);
    this.historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  }

  getTarget(app: string, cluster: string): Promise<TargetState | undefined> {
    return getTarget(this.table, { app, cluster });
  }

  listTargets(): Promise<TargetState[]> {
    return listTargets(this.table);
  }

  removeTarget(target: TargetRef): Promise<void> {
    return removeTarget(this.table, target);
  }

  putTargetState(update: TargetUpdate, options?: { remove?: TargetField[] }): Promise<void> {
    return putTargetState(this.table, update, options?.remove);
  }

  requestSync(target: TargetRef, revision: string): Promise<number> {
    return requestSync(this.table, target, revision);
  }

  beginSync(target: TargetRef, revision: string): Promise<SyncStart> {
    return beginSync(this.table, target, revision);
  }

  withdrawRequest(target: TargetRef, refused: string, restore: string): Promise<boolean> {
    return withdrawRequest(this.table, target, refused, restore);
  }

  claimTarget(target: TargetRef, request: ClaimRequest): Promise<Claim> {
    return claimTarget(this.table, target, request);
  }

  unclaimTarget(target: TargetRef, owner: string, before: TargetState | undefined, also: Omit<TargetUpdate, 'app' | 'cluster'>): Promise<boolean> {
    return unclaimTarget(this.table, target, owner, before, also);
  }

  async recordSyncResult(record: SyncRecord): Promise<boolean> {
    return (await this.recordSync(record)).written;
  }

  recordSync(record: SyncRecord, options: Omit<RecordOptions, 'keep'> = {}): Promise<RecordedSync> {
    return recordSync(this.table, record, { ...options, keep: this.historyLimit });
  }

  putDoraState(target: TargetRef, dora: DoraState, historySeq: number): Promise<boolean> {
    return putDoraState(this.table, target, dora, historySeq);
  }

  /** A history entry that is no sync result (`driftless restore`), kept to the same limit. */
  appendHistory(summary: SyncSummary): Promise<HistoryEntry> {
    return appendHistoryEntry(this.table, summary, this.historyLimit);
  }

  /** True when the table holds any item at all. */
  hasAnyItem(): Promise<boolean> {
    return hasAnyItem(this.table);
  }

  listHistory(app: string, cluster: string, limit = 20): Promise<HistoryEntry[]> {
    return listHistory(this.table, { app, cluster }, limit);
  }

  acquireLease(target: TargetRef, owner: string, ttlMs: number): Promise<boolean> {
    return acquireLease(this.table, target, owner, ttlMs);
  }

  renewLease(target: TargetRef, owner: string, ttlMs: number): Promise<boolean> {
    return renewLease(this.table, target, owner, ttlMs);
  }

  releaseLease(target: TargetRef, owner: string): Promise<boolean> {
    return releaseLease(this.table, target, owner);
  }

  getLease(target: TargetRef): Promise<LeaseRecord | undefined> {
    return getLease(this.table, target);
  }

  getTargetsWithLeases(targets: readonly TargetRef[]): Promise<Map<string, TargetWithLease>> {
    return getTargetsWithLeases(this.table, targets);
  }

  rememberDelivery(id: string, ttlSeconds: number): Promise<boolean> {
    return rememberDelivery(this.table, id, ttlSeconds);
  }

  forgetDelivery(id: string): Promise<void> {
    return forgetDelivery(this.table, id);
  }

  getRegistry(): Promise<RegistryRecord | undefined> {
    return getRegistry(this.table);
  }

  putRegistry(registry: Registry, revision: string): Promise<void> {
    return putRegistry(this.table, registry, revision);
  }

  getVersionedRegistry(): Promise<{ record?: RegistryRecord; version: number }> {
    return getVersionedRegistry(this.table);
  }

  putRegistryIf(registry: Registry, revision: string, version: number): Promise<boolean> {
    return putRegistryIf(this.table, registry, revision, version);
  }

  getPushIndex(repoURL: string, branch: string): Promise<Registry | undefined> {
    return getPushIndex(this.table, repoURL, branch);
  }

  getWavePlan(target: TargetRef): Promise<WavePlan | undefined> {
    return getWavePlan(this.table, target);
  }

  putWavePlan(plan: WavePlan): Promise<void> {
    return putWavePlan(this.table, plan);
  }

  getTargets(targets: readonly TargetRef[]): Promise<Map<string, TargetState>> {
    return getTargets(this.table, targets);
  }

  markRollout(target: TargetRef, rollout: TargetRollout): Promise<void> {
    return markRollout(this.table, target, rollout);
  }

  getRollout(set: string): Promise<RolloutState | undefined> {
    return getRollout(this.table, set);
  }

  listRollouts(): Promise<RolloutState[]> {
    return listRollouts(this.table);
  }

  putRollout(state: RolloutState, read: RolloutState | undefined): Promise<boolean> {
    return putRollout(this.table, state, read);
  }

  getHead(repoURL: string, branch: string): Promise<RepoHead | undefined> {
    return getHead(this.table, repoURL, branch);
  }

  putHead(repoURL: string, branch: string, sha: string): Promise<boolean> {
    return putHead(this.table, repoURL, branch, sha);
  }
}
