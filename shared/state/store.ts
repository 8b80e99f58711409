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
import type { DoraState } from '../dora/events.ts';
import type { Claim, ClaimRequest } from './claim.ts';
import type { RecordedSync, RecordOptions } from './record-sync.ts';
import type { RolloutState, TargetRollout } from '../rollout/types.ts';

/** Target writes (requests, rollout marks) in flight at once for one push: a share of the table's write capacity, not all of it. */
export const TARGET_WRITES_AT_ONCE = 8;

export type { RecordedSync, RecordOptions } from './record-sync.ts';
export type { Claim, ClaimRequest } from './claim.ts';

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
  /** Proceeds only for the requested revision (claimTarget is the worker's: this and a lease in one write). */
  beginSync(target: TargetRef, revision: string): Promise<SyncStart>;
  /**
   * The worker, before it touches the cluster: its request and the lease in one conditional
   * write, answering the state it replaced (claim.ts).
   */
  claimTarget(target: TargetRef, request: ClaimRequest): Promise<Claim>;
  /** Gives a claim back without a result, putting back what it set and writing `also` (claim.ts). */
  unclaimTarget(target: TargetRef, owner: string, before: TargetState | undefined, also: Omit<TargetUpdate, 'app' | 'cluster'>): Promise<boolean>;
  /** The worker, refusing a request (a replayed push): puts requestedRevision back to `restore` while it is still `refused`. */
  withdrawRequest(target: TargetRef, refused: string, restore: string): Promise<boolean>;
  /** Records the result unless a newer request's result is already recorded; appends history either way. Returns whether the target state was written. */
  recordSyncResult(record: SyncRecord): Promise<boolean>;
  /**
   * recordSyncResult with the rest of a record (record-sync.ts): the lease released, the status
   * about to be posted and the DORA state kept, all in the result's write; answers the DORA state it found.
   */
  recordSync(record: SyncRecord, options?: Omit<RecordOptions, 'keep'>): Promise<RecordedSync>;
  /** The DORA state put right, unless a later record moved the history counter past `historySeq`. */
  putDoraState(target: TargetRef, dora: DoraState, historySeq: number): Promise<boolean>;

  /** Newest first. */
  listHistory(app: string, cluster: string, limit?: number): Promise<HistoryEntry[]>;

  acquireLease(target: TargetRef, owner: string, ttlMs: number): Promise<boolean>;
  /** False when the lease is no longer ours: stop working on the target. */
  renewLease(target: TargetRef, owner: string, ttlMs: number): Promise<boolean>;
  /** False when it was not ours (expired and taken, or never held). */
  releaseLease(target: TargetRef, owner: string): Promise<boolean>;
  /** The current holder; an expired lease reads as none. */
  getLease(target: TargetRef): Promise<LeaseRecord | undefined>;
  /** Many targets' states and leases at once (one BatchGetItem per 100 targets: the lease is on the target), by targetId: a cluster scan's one read of its targets. */
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
