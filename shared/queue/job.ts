// The messages on the sync-jobs FIFO queue, one kind of work each, told apart by `kind`:
//   sync              sync one app on one cluster at one revision
//   drift-scan        compare one app on one cluster with its last applied render
//   cluster-scan      compare every app of one cluster with its last applied render, each kind read once
//   registry-refresh  re-read the registry from the config repository at a commit
//   delete-app        delete the resources of an app that left the registry with the resources finalizer
//   app-waves         a child of an app of apps finished a sync: start its parent's next wave, or halt
//   preview           show on a pull request's head what merging it would change; nothing is applied
//   rollout           one step of an ApplicationSet's RollingSync rollout: start, a member's sync ended, a gate's timer, promote, abort
// Their FIFO group and deduplication ids are in message-ids.ts.
import { z } from 'zod';

/** What asked for a sync. A continued sync keeps the trigger of the sync it continues. */
export const SYNC_TRIGGERS = ['push', 'config', 'self-heal', 'missed-push', 'manual', 'rollback'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

/**
 * Triggers of the automated sync policy (Argo CD's syncPolicy.automated): a new commit seen
 * (push, config change, a push the webhook missed) or self-heal. Manual syncs and rollbacks
 * are asked for by a person and are never held back by the policy.
 */
export const AUTOMATED_TRIGGERS: ReadonlySet<SyncTrigger> = new Set(['push', 'config', 'missed-push', 'self-heal']);

// `generator`: a push to what an ApplicationSet's git generator reads; the job's revision is then
// the config branch, whose head the worker reads the registry at (the webhook does not know it).
export const REGISTRY_TRIGGERS = ['config', 'missed-push', 'generator'] as const;

const name = z.string().min(1);

/**
 * Syncs a registry refresh carries at most: 500 targets of the longest names Kubernetes allows
 * stay well inside SQS's 256 KiB message. A push touching more sends them on their own (and they
 * may run before the refresh).
 */
export const MAX_CARRIED_SYNCS = 500;

export const syncJobSchema = z.object({
  kind: z.literal('sync'),
  app: name,
  cluster: name,
  /** Commit sha to sync. */
  revision: name,
  /** The branch or tag the revision was resolved from, for messages. */
  ref: z.string().optional(),
  trigger: z.enum(SYNC_TRIGGERS),
  /** X-GitHub-Delivery of the push that caused it, for logs. */
  deliveryId: z.string().optional(),
  /** When the sync was first asked for; a continuation keeps it, so its time limit counts from there. */
  enqueuedAt: z.string(),
  /** Set when a long sync goes on in a new message: how many times it has been continued (1, 2, …). */
  continuation: z.number().int().positive().optional(),
  /** Set when the drift-scan planner sends again a sync its sync window held back: when it found the window open. */
  windowOpenedAt: z.string().optional(),
  /** Jobs made from a push: the head commit's time (ISO, UTC), where DORA's lead time starts (shared/dora/). */
  committedAt: z.string().optional(),
  /** Set when a RollingSync rollout started this sync (shared/rollout/): its end tells that rollout, and a newer rollout of the set supersedes it. */
  rollout: z.object({ set: name, id: name }).optional(),
});

export const driftScanJobSchema = z.object({
  kind: z.literal('drift-scan'),
  app: name,
  cluster: name,
  /** The revision the target was on when the scan was planned. */
  revision: name,
  enqueuedAt: z.string(),
  /** The schedule period it was planned in (epoch ms ÷ the period): a target is scanned once per period. */
  schedulePeriod: z.number().int().nonnegative(),
});

export const clusterScanJobSchema = z.object({
  kind: z.literal('cluster-scan'),
  cluster: name,
  enqueuedAt: z.string(),
  /** The schedule period it was planned in (epoch ms ÷ the period): a cluster is scanned once per period. */
  schedulePeriod: z.number().int().nonnegative(),
  /** Apps of this cluster the same schedule run sent a sync for (behind their branch, a sync window opened): not scanned. */
  catchingUp: z.array(name).optional(),
  /** Set when a scan goes on in a new message: how many times it has been continued (1, 2, …). */
  continuation: z.number().int().positive().optional(),
  /** With `continuation`: the apps up to this name (in name order) were scanned already. */
  after: z.string().optional(),
});

export const registryRefreshJobSchema = z.object({
  kind: z.literal('registry-refresh'),
  /** Commit of the config repository to read the registry at. */
  revision: name,
  /** The config repository's branch the commit is the head of. */
  ref: name,
  trigger: z.enum(REGISTRY_TRIGGERS),
  deliveryId: z.string().optional(),
  enqueuedAt: z.string(),
  /**
   * The push's syncs (its app changes at `revision`), sent by the refresh once the registry of
   * the same commit is stored or refused, so they run with that commit's apps and projects (a
   * push that tightens a project and changes an app must not sync the app under the old project).
   */
  thenSync: z
    .array(z.object({ app: name, cluster: name }))
    .max(MAX_CARRIED_SYNCS)
    .optional(),
  /** The push's head commit time, for the syncs it carries (DORA's lead time). */
  committedAt: z.string().optional(),
});

export const deleteAppJobSchema = z.object({
  kind: z.literal('delete-app'),
  app: name,
  cluster: name,
  /** The registry or parent commit whose change removed the app. */
  revision: name,
  /** The app's project when it was removed: its bounds still limit what may be deleted. */
  project: name,
  /** Argo CD's resources finalizer the app carried; `/background` deletes in the background, the others in the foreground. */
  finalizer: z.string(),
  /** Why it left, for logs and the event: `removed from the registry`, `no longer rendered by root`. */
  reason: z.string(),
  deliveryId: z.string().optional(),
  enqueuedAt: z.string(),
});

export const appWavesJobSchema = z.object({
  kind: z.literal('app-waves'),
  /** The parent app and the cluster of the target whose sync made the wave plan (its FIFO group). */
  app: name,
  cluster: name,
  /** The parent's commit the plan is for: a job for an older plan is dropped. */
  revision: name,
  /** The child whose sync finished (`app@cluster`), for logs. */
  child: name,
  deliveryId: z.string().optional(),
  enqueuedAt: z.string(),
});

/** A full commit sha, as GitHub sends them: a preview names its commits, never a branch. */
const commitSha = z.string().regex(/^[0-9a-f]{40}$/, 'not a 40-character commit sha');

export const previewJobSchema = z.object({
  kind: z.literal('preview'),
  /** The repository the pull request is in (its base repository), as the webhook read it. */
  repoURL: name,
  /** The pull request's number in that repository. */
  pullRequest: z.number().int().positive(),
  /** The pull request's head commit: what is previewed. Named `revision` as every job's commit is. */
  revision: commitSha,
  /** The base branch's commit when the head was pushed. */
  base: commitSha,
  /** The base branch and the head branch, for messages. */
  baseRef: z.string().optional(),
  headRef: z.string().optional(),
  deliveryId: z.string().optional(),
  enqueuedAt: z.string(),
});

export const ROLLOUT_REASONS = ['start', 'member', 'timer', 'promote', 'abort'] as const;
export type RolloutReason = (typeof ROLLOUT_REASONS)[number];

export const rolloutJobSchema = z.object({
  kind: z.literal('rollout'),
  /** The ApplicationSet. */
  set: name,
  /** The rollout's id (the commit that started it): a job of a rollout that was superseded is dropped. */
  id: name,
  /**
   * `start`: a push or config change marked the set's targets; `member`: a sync the rollout
   * started ended; `timer`: a gate's wait is over; `promote`, `abort`: a person asked.
   */
  reason: z.enum(ROLLOUT_REASONS),
  /** `member`: the target whose sync ended (`app@cluster`), for logs. */
  member: z.string().optional(),
  /** The trigger the rollout's syncs carry (`push` or `config`). */
  trigger: z.enum(SYNC_TRIGGERS),
  /** `promote`, `abort`: who asked. */
  by: z.string().optional(),
  /** The branch the commit is the head of, named in the syncs' messages. */
  ref: z.string().optional(),
  /** `start`: the repository the commit is in; a carried target of this repository and `ref` follows the new commit. */
  repoURL: z.string().optional(),
  deliveryId: z.string().optional(),
  committedAt: z.string().optional(),
  enqueuedAt: z.string(),
  /**
   * Set on a timer (reason `timer`) while it waits in a FIFO group of its own (`_rollout-timer@<set>@<due>`):
   * when it is due. Once due it sends the step (the same job without `dueAt`) to the set's group.
   */
  dueAt: z.string().optional(),
  /** A timer sent again before its message ran out of receives: how many times (for a unique deduplication id). */
  hop: z.number().int().positive().optional(),
});

export const jobSchema = z.discriminatedUnion('kind', [
  syncJobSchema,
  driftScanJobSchema,
  clusterScanJobSchema,
  registryRefreshJobSchema,
  deleteAppJobSchema,
  appWavesJobSchema,
  previewJobSchema,
  rolloutJobSchema,
]);

export type SyncJob = z.infer<typeof syncJobSchema>;
export type DriftScanJob = z.infer<typeof driftScanJobSchema>;
export type ClusterScanJob = z.infer<typeof clusterScanJobSchema>;
export type RegistryRefreshJob = z.infer<typeof registryRefreshJobSchema>;
export type DeleteAppJob = z.infer<typeof deleteAppJobSchema>;
export type AppWavesJob = z.infer<typeof appWavesJobSchema>;
export type PreviewJob = z.infer<typeof previewJobSchema>;
export type RolloutJob = z.infer<typeof rolloutJobSchema>;
export type Job = z.infer<typeof jobSchema>;
export type JobKind = Job['kind'];

/** `app@cluster`: how a target is named in ids, status contexts and messages. */
export function targetId(app: string, cluster: string): string {
  return `${app}@${cluster}`;
}

/** A job in a message: its target and revision, never its other fields. */
export function describeJob(job: Job): string {
  if (job.kind === 'registry-refresh') return `registry@${job.revision}`;
  if (job.kind === 'preview') return `${pullRequestId(job.repoURL, job.pullRequest)}@${job.revision}`;
  if (job.kind === 'cluster-scan') return `${clusterScanId(job.cluster)}@${job.schedulePeriod}`;
  if (job.kind === 'rollout') return `${rolloutId(job.set)}@${job.id}`;
  return `${targetId(job.app, job.cluster)}@${job.revision}`;
}

/** `_scan@<cluster>`: a cluster scan's name in ids and messages; no app name starts with `_`, so no target's id is the same. */
export function clusterScanId(cluster: string): string {
  return `_scan@${cluster}`;
}

/** `_rollout@<set>`: a set's rollout in ids and messages (and its FIFO group); no app name starts with `_`. */
export function rolloutId(set: string): string {
  return `_rollout@${set}`;
}

/** `<repoURL>#<number>`: how a pull request is named in ids and messages. */
export function pullRequestId(repoURL: string, pullRequest: number): string {
  return `${repoURL}#${pullRequest}`;
}

/** An automated sync that is new work, not the continuation of one already under way. */
export function isAutomatedSync(job: SyncJob): boolean {
  return job.continuation === undefined && AUTOMATED_TRIGGERS.has(job.trigger);
}
