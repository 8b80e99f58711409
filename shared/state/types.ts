// The records the state store keeps, one type per item kind. Everything a reader gets back
// is plain data; how it is laid out in DynamoDB is dynamo-store's business.
import type { Registry } from '../config/types.ts';
import type { HealthStatus } from '../kube/health/status.ts';
import type { ObjectRef } from '../kube/live.ts';
import type { Inventory } from '../sync/inventory.ts';
import type { SyncTrigger } from '../queue/job.ts';
import type { TargetRollout } from '../rollout/types.ts';

export const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Syncing', 'Failed', 'Unknown'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

// Health is the Kubernetes layer's vocabulary; the store keeps what it says.
export { HEALTH_STATUSES, type HealthStatus } from '../kube/health/status.ts';

export type DriftStatus = 'InSync' | 'Drifted' | 'Unknown';

export interface TargetRef {
  app: string;
  cluster: string;
}

export interface DriftedObject extends ObjectRef {
  /** Short reason, e.g. the first differing field path; never a value. */
  reason?: string;
}

/** One drifted field (or missing object) a self-heal put back, as a hash: never a name or value. */
export interface HealRecord {
  /** Hash of the object's group, kind, namespace and name and the field path (or "missing"). */
  key: string;
  /** Heals of it since the last clean scan. */
  attempts: number;
  /** When the last of them was decided. */
  healedAt: string;
}

/**
 * One source of an app as a sync rendered it: a Git source at its commit, or a chart at the
 * exact version its targetRevision resolved to. A sync records one per source, in the app's
 * source order, so history says what was deployed and the drift scan can render it again.
 */
export interface SourceRevision {
  repoURL: string;
  /** Git sources: the commit. */
  sha?: string;
  /** Chart sources: the chart's name and its exact version. */
  chart?: string;
  version?: string;
  /** The chart archive's digest, when the repository gave one. */
  digest?: string;
}

/** The last commit status posted for a target, so the same one is not posted twice. */
export interface PostedStatus {
  sha: string;
  state: string;
  description: string;
}

/**
 * A sync its project's sync window holds back (shared/worker/hold-for-window.ts): kept until a
 * job for that revision gets past the window, so the drift-scan planner can send it again
 * once the window opens. Never lost with a message: it lives on the target.
 */
export interface WindowWait {
  revision: string;
  ref?: string;
  /** The held job's trigger, kept by the job sent again. */
  trigger: SyncTrigger;
  deliveryId?: string;
  /** The held push's commit time, kept by the job sent again: lead time includes the wait. */
  committedAt?: string;
  /** The window's name, and when it opens (absent when no opening was found). */
  window: string;
  opensAt?: string;
  since: string;
}

/** Every attribute of a target's state that callers may set; all but the key are optional. */
export interface TargetFields {
  namespace: string;
  /** Last applied commit sha. */
  revision: string;
  /** The commit the newest request (push, manual sync, rollback) asked for. */
  requestedRevision: string;
  syncStatus: SyncStatus;
  health: HealthStatus;
  message: string;
  lastSyncStartedAt: string;
  lastSyncFinishedAt: string;
  durationMs: number;
  inventory: Inventory;
  /** S3 key of the render that was last applied, read by the drift scan. */
  renderKey: string;
  /** Every source as the last successful sync rendered it (with `revision`): what the drift scan renders again. */
  sources: SourceRevision[];
  driftStatus: DriftStatus;
  /** At most MAX_DRIFTED_OBJECTS; `driftedCount` keeps the full number. */
  driftedObjects: DriftedObject[];
  driftedCount: number;
  driftFirstSeenAt: string;
  lastScannedAt: string;
  /** Why drift is `Unknown`: the revision applied last is no longer in Git. */
  driftReason: string;
  lastPostedStatus: PostedStatus;
  /** A sync waiting for its sync window to open. */
  windowWait: WindowWait;
  /** What the last self-heals healed, so that a repeat is told from new drift (drift/self-heal.ts); bounded. */
  selfHealRecords: HealRecord[];
  suspended: boolean;
  /** Set by `driftless rollback`: the target stays on this commit (pushes are not applied) until `driftless resume`. */
  pinnedRevision: string;
  /** When `driftless restore` rebuilt this state from Git and the cluster (after the table was lost). */
  restoredAt: string;
  /** What notifications were sent for, per trigger (shared/notifications/triggers.ts): on-deployed once per commit. */
  notified: Partial<Record<string, string>>;
  /** The RollingSync rollout this target takes part in (its set's newest to mark it), and the commit it is to be synced at in it. */
  rollout: TargetRollout;
}

export interface TargetState extends TargetRef, Partial<TargetFields> {
  /** Bumped by every `requestSync`; the request with the highest number wins. */
  requestSeq?: number;
  /** The `requestSeq` of the request whose sync result was last recorded. */
  appliedSeq?: number;
  updatedAt?: string;
}

export type TargetUpdate = TargetRef & Partial<TargetFields>;

/** Attributes `putTargetState` may remove (drift fields once drift is resolved, backoff after a success). */
export type TargetField = keyof TargetFields;

export type SyncOutcome = 'Synced' | 'Failed' | 'OutOfSync';

/** What `beginSync` answers: go ahead with `seq`, or stand down because a newer commit was requested. */
export type SyncStart = { started: true; seq: number } | { started: false; requestedRevision: string };

/** What one sync did: the fields a result and its history entry share. */
export interface SyncSummary extends TargetRef {
  revision: string;
  status: SyncOutcome;
  health: HealthStatus;
  message: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  reason?: string;
  /** Objects per action: created, configured, unchanged, pruned, failed, ... */
  counts?: Record<string, number>;
  /** What each source was rendered at (Git commits, chart versions), when the sync got as far as fetching them. */
  sources?: SourceRevision[];
  /** When the revision was committed, as the push that asked for the sync said (shared/dora/ measures lead time from it). */
  committedAt?: string;
}

/** The outcome of one sync, recorded on the target and appended to its history. */
export interface SyncRecord extends SyncSummary {
  /** The `seq` `beginSync` returned: results of older requests never overwrite newer ones. */
  seq: number;
  /** Written when given: a failed sync may have applied part of a wave, so the caller decides. */
  inventory?: Inventory;
  renderKey?: string;
}

export interface HistoryEntry extends SyncSummary {
  id: string;
  counts: Record<string, number>;
}

export interface LeaseRecord {
  owner: string;
  expiresAtMs: number;
}

export interface RegistryRecord {
  /** As config/ loaded and validated it; the store keeps it as JSON. */
  registry: Registry;
  /** The config repository commit it was read from. */
  revision: string;
  updatedAt: string;
}

export interface RepoHead {
  repoURL: string;
  branch: string;
  sha: string;
  updatedAt: string;
}

/** A child in a parent's wave plan: the commit the parent asks it to be at, or why it cannot have one. */
export interface WavePlanChild extends TargetRef {
  wave: number;
  /** The commit to sync; absent when `problem` says why none could be resolved. */
  revision?: string;
  problem?: string;
  /** The child's targetRevision, named in its sync job's messages. */
  ref?: string;
  /** Its destination namespace, recorded with a child that cannot sync. */
  namespace?: string;
}

/**
 * App-level sync waves of one parent's sync (app-of-apps/wave-policy.ts decides from it): the
 * children that sync made new or changed, each with its wave and commit. Kept beside the
 * parent's target state; a newer sync of the parent replaces it.
 */
export interface WavePlan extends TargetRef {
  /** The parent's commit whose sync made the plan. */
  revision: string;
  /** The repository the parent's commit statuses go to. */
  repoURL: string;
  /** The parent's own parent, when it is a child too (named in its statuses). */
  parentOf?: string;
  children: WavePlanChild[];
  /** Where it stands: `running` (a wave under way), `halted` (a child stopped it, `reason` says which), `done`. */
  status: 'running' | 'halted' | 'done';
  /** The wave under way or halted. */
  wave?: number;
  reason?: string;
  createdAt: string;
  updatedAt: string;
}
