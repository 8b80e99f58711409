// The dashboard's HTTP API: the one shape the `api` function (and local mode's server) answers
// and the web UI reads. Types only, so the UI bundle imports nothing at run time from here.
//
//   GET  /api/me                                       → Me
//   GET  /api/fleet?limit=&cursor=&q=&health=&cluster=  → FleetPage   (one call for 1,000 rows)
//   GET  /api/apps/:app                                → AppDetail
//   GET  /api/apps/:app/clusters/:cluster/tree         → ResourceTree (live, owner references)
//   GET  /api/apps/:app/clusters/:cluster/diff         → TargetDiff   (Git vs live, Secrets masked)
//   GET  /api/apps/:app/clusters/:cluster/events       → TargetEvents (Kubernetes Events of the tree's objects)
//   POST /api/apps/:app/clusters/:cluster/sync         {revision?}   → ActionResult
//   POST /api/apps/:app/clusters/:cluster/rollback     {revision}    → ActionResult
//   POST /api/apps/:app/clusters/:cluster/suspend                    → ActionResult
//   POST /api/apps/:app/clusters/:cluster/resume                     → ActionResult
//   POST /api/applicationsets/:set/promote                           → ActionResult (skip the gate its rollout waits at)
//   POST /api/applicationsets/:set/abort                             → ActionResult (start no more of its rollout's steps)
//
// Errors answer { error: string } with 400 (bad request), 401 (no identity), 403 (RBAC
// refused: the message names the role check that failed), 404 (unknown app or cluster).
//
// Added by the API (shared/api/, for the UI): actions answer 202; 409 when the action is
// refused by the target's state (a sync off a rollback's pin, a rollback to a revision never
// synced: the message says what to do instead); 405 for a wrong method. TargetDiff.message
// says why `diff` is empty when it could not be computed. RbacAction 'update' is what
// suspend / resume need (Argo CD: turning automated sync off is an edit of the Application);
// sync and rollback need 'sync' (Argo CD's rollback checks sync). FleetRow.allowed.rollback
// is therefore always equal to allowed.sync. Promote and abort are Argo CD's `applicationsets`
// resource, action `update`, object `<project>/<set>` (the project of the set's template); a set
// the caller may not `get` answers 404; a promote off a gate or an abort of a finished rollout 409.
import type { DriftStatus, HealthStatus, SyncStatus } from '../state/types.ts';

export type RbacAction = 'get' | 'sync' | 'action' | 'override' | 'update';

export interface Me {
  /** The `sub` (or `email`) claim; "local" in local mode. */
  user: string;
  groups: string[];
  /** False in local mode (no sign-in). */
  signInRequired: boolean;
}

/** Where a target stands in its ApplicationSet's rollout (shared/operations/rollout-progress.ts). */
export interface RolloutProgressRow {
  set: string;
  /** The target's step, 1-based ("step 2 of 3"). */
  step: number;
  steps: number;
  /** The gate its step waits at, the halt or abort, or the step it waits for. */
  gate?: string;
  /** The caller may promote and abort the set's rollout (applicationsets, update). */
  canOperate?: boolean;
}

export interface FleetRow {
  app: string;
  cluster: string;
  project: string;
  /** The app of apps that declared this app, when one did. */
  parent?: string;
  /** The ApplicationSet that generated this app, when one did. */
  applicationSet?: string;
  clusterLabels: Record<string, string>;
  namespace?: string;
  syncStatus: SyncStatus;
  health: HealthStatus;
  drift: DriftStatus;
  /** The commit last applied (full sha) and a link to it when the repository is on GitHub. */
  revision?: string;
  revisionUrl?: string;
  /** ISO time the last sync finished, and its message. */
  lastSyncAt?: string;
  message?: string;
  suspended: boolean;
  pinnedRevision?: string;
  /** Rollout progress when a rollout drives this target (issue 14): step k of n and its gate. */
  rollout?: RolloutProgressRow;
  /** What the caller may do to this row (the API checks again on every action). */
  allowed: { sync: boolean; rollback: boolean; suspend: boolean };
}

export interface FleetPage {
  rows: FleetRow[];
  /** Counts per health state over the whole fleet the caller may see (not only this page). */
  healthCounts: Partial<Record<HealthStatus, number>>;
  total: number;
  /** Absent on the last page. */
  next?: string;
  /** Changes whenever any row changes: the UI polls with it (If-None-Match → 304). */
  etag: string;
}

export interface HistoryEntry {
  revision: string;
  status: string;
  health: HealthStatus;
  message: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  reason?: string;
  counts?: Record<string, number>;
}

export interface TargetDetail {
  cluster: string;
  clusterLabels: Record<string, string>;
  namespace?: string;
  syncStatus: SyncStatus;
  health: HealthStatus;
  drift: DriftStatus;
  driftedObjects: Array<{ group?: string; kind: string; namespace?: string; name: string; reason?: string }>;
  revision?: string;
  revisionUrl?: string;
  requestedRevision?: string;
  /** The last error in full (the last sync's message when it failed). */
  lastError?: string;
  suspended: boolean;
  pinnedRevision?: string;
  history: HistoryEntry[];
  /** Rollout progress when a rollout drives this target (issue 14): step k of n and its gate. */
  rollout?: RolloutProgressRow;
  allowed: FleetRow['allowed'];
}

export interface AppDetail {
  app: string;
  project: string;
  parent?: string;
  applicationSet?: string;
  source: { repoURL: string; path?: string; chart?: string; targetRevision?: string };
  targets: TargetDetail[];
}

export interface ResourceNode {
  group: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  health: HealthStatus;
  /** The uid of the owner this node hangs under (Deployment → ReplicaSet → Pod); absent at the root. */
  parentUid?: string;
  /** True for objects Git declares; false for what controllers made of them. */
  managed: boolean;
}

export interface ResourceTree {
  app: string;
  cluster: string;
  nodes: ResourceNode[];
}

export interface TargetDiff {
  app: string;
  cluster: string;
  revision?: string;
  /** A unified diff, live → Git, Secret values replaced by "+++++" marks; empty when in sync. */
  diff: string;
  /** Why there is no diff to show when none could be computed (no render recorded, or it expired from the cache). */
  message?: string;
}

/** One core/v1 Event about an object of the app's tree, as the cluster recorded it. */
export interface KubeEvent {
  /** `Normal` or `Warning`. */
  type: string;
  reason: string;
  /** As the cluster gives it: events carry no Secret data. */
  message: string;
  /** The object the event is about (its involvedObject). */
  object: { group: string; kind: string; namespace?: string; name: string };
  /** How many times it happened (the event's count, or its series' count). */
  count: number;
  /** ISO time it last happened (lastTimestamp, else the series' or the event's time). */
  lastTimestamp?: string;
  firstTimestamp?: string;
  /** Who reported it (source.component or reportingComponent), e.g. `deployment-controller`. */
  source?: string;
}

export interface TargetEvents {
  app: string;
  cluster: string;
  /** Newest first, at most the API's bound (EVENTS_LIMIT in shared/api/events.ts). */
  events: KubeEvent[];
  /** True when there were more than the bound, or a namespace held more events than are read. */
  truncated: boolean;
}

/** The POST routes of one target. */
export type TargetAction = 'sync' | 'rollback' | 'suspend' | 'resume';

/** The POST routes of one ApplicationSet. */
export type SetAction = 'promote' | 'abort';

export interface ActionResult {
  accepted: boolean;
  message: string;
  /** The request's number when the action asked for a sync. */
  seq?: number;
}
