// What the rest of Driftless knows about persistent state. DynamoStateStore is the real one;
// the interface keeps handlers and the sync core free of DynamoDB.
import type { Registry } from '../config/types.ts';
import type {
  HistoryEntry,
  LeaseRecord,
  RegistryRecord,
  RepoHead,
  SyncRecord,
  SyncStart,
  TargetField,
  TargetRef,
  TargetState,
  TargetUpdate,
  WavePlan,
} from './types.ts';
import type { TargetWithLease } from './targets-with-leases.ts';
import type { RolloutState, TargetRollout } from '../rollout/types.ts';

export interface RecordedSync {
  /** Whether the target state was written (false: a newer request's result is there). */
  written: boolean;
  /** The history before this result, newest first: its newest DEFAULT_HISTORY_LIMIT entries, as listHistory would give them. */
  earlier: HistoryEntry[];
}

export interface StateStore {
  getTarget(app: string, cluster: string): Promise<TargetState | undefined>;
  /** Every target's state; a Scan, fine for fleets of hundreds of targets, not of millions. */
  listTargets(): Promise<TargetState[]>;
  /** Forgets a target (an app deleted from the registry) and its wave plan; its history stays. */
  removeTarget(target: TargetRef): Promise<void>;
  /** Writes exactly the attributes given (and `updatedAt`), removes those in `remove`, touches nothing else. */
  putTargetState(update: TargetUpdate, options?: { remove?: TargetField[] }): Promise<void>;

  /** The webhook, before it enqueues: this commit is now the one the target should end on. Returns the request's seq. */
  requestSync(target: TargetRef, revision: string): Promise<number>;
  /** The worker, before it touches the cluster: proceeds only for the requested revision. */
  beginSync(target: TargetRef, revision: string): Promise<SyncStart>;
  /** The worker, refusing a request (a replayed push): puts requestedRevision back to `restore` while it is still `refused`. */
  withdrawRequest(target: TargetRef, refused: string, restore: string): Promise<boolean>;
  /** Records the result unless a newer request's result is already recorded; appends history either way. Returns whether the target state was written. */
  recordSyncResult(record: SyncRecord): Promise<boolean>;
  /**
   * recordSyncResult, also answering the history as it stood before this result (one read serves
   * the trim and the caller). `also.namespace` goes onto the target with the result when the result is written.
   */
  recordSync(record: SyncRecord, also?: { namespace?: string }): Promise<RecordedSync>;

  /** Newest first. */
  listHistory(app: string, cluster: string, limit?: number): Promise<HistoryEntry[]>;

  acquireLease(target: TargetRef, owner: string, ttlMs: number): Promise<boolean>;
  /** False when the lease is no longer ours: stop working on the target. */
  renewLease(target: TargetRef, owner: string, ttlMs: number): Promise<boolean>;
  /** False when it was not ours (expired and taken, or never held). */
  releaseLease(target: TargetRef, owner: string): Promise<boolean>;
  /** The current holder; an expired lease reads as none. */
  getLease(target: TargetRef): Promise<LeaseRecord | undefined>;
  /** Many targets' states and leases at once (one BatchGetItem per 50 targets), by targetId: a cluster scan's one read of its targets. */
  getTargetsWithLeases(targets: readonly TargetRef[]): Promise<Map<string, TargetWithLease>>;

  /** True the first time an id (a delivery id, or the webhook's replayKey of a body) is seen within `ttlSeconds`. */
  rememberDelivery(id: string, ttlSeconds: number): Promise<boolean>;
  /** For a delivery that could not be handled (enqueue failed): a redelivery must not count as seen. */
  forgetDelivery(id: string): Promise<void>;

  /** The registry the worker last stored, typed: the one read of it. */
  getRegistry(): Promise<RegistryRecord | undefined>;
  putRegistry(registry: Registry, revision: string): Promise<void>;
  /** The registry and the version to name in putRegistryIf (0 when there is none). */
  getVersionedRegistry(): Promise<{ record?: RegistryRecord; version: number }>;
  /** Writes only if the registry is still at `version`; false when another write came first. */
  putRegistryIf(registry: Registry, revision: string, version: number): Promise<boolean>;
  /** The apps a push to `branch` of `repoURL` may touch, as a Registry matchPush takes (apps only, with what it reads); undefined without a registry. */
  getPushIndex(repoURL: string, branch: string): Promise<Registry | undefined>;

  /** A parent target's app-level wave plan (app-of-apps), if its last sync made one. */
  getWavePlan(target: TargetRef): Promise<WavePlan | undefined>;
  putWavePlan(plan: WavePlan): Promise<void>;

  /** Many targets' states at once (one BatchGetItem per 100), by targetId; a target without an item has no entry. */
  getTargets(targets: readonly TargetRef[]): Promise<Map<string, TargetState>>;
  /** The target takes part in a set's rollout (its `rollout` attribute; one UpdateItem). Nothing is requested. */
  markRollout(target: TargetRef, rollout: TargetRollout): Promise<void>;
  /** An ApplicationSet's rollout, if it ever had one. */
  getRollout(set: string): Promise<RolloutState | undefined>;
  /** Every set's rollout (one Query). */
  listRollouts(): Promise<RolloutState[]>;
  /**
   * Writes a set's rollout if the item is still as `read` left it (absent when `read` is
   * undefined); false when another write came first. Sets `state.version` when written.
   */
  putRollout(state: RolloutState, read: RolloutState | undefined): Promise<boolean>;

  getHead(repoURL: string, branch: string): Promise<RepoHead | undefined>;
  /** Writes only when the head moved; false when it was `sha` already. */
  putHead(repoURL: string, branch: string, sha: string): Promise<boolean>;
}
