// `push` → sync jobs: one per app × cluster whose watched paths the push touches on the branch
// it tracks, and one registry refresh when the push changes the config repository's registry
// folder on its branch (the worker re-reads the registry). Tags, other refs and branch
// deletions sync nothing. Each target is requested at the pushed commit before its job is sent:
// a newer commit wins. The apps of an ApplicationSet with a RollingSync strategy are not synced
// straight: each target is marked for the set's rollout instead (one write, as a request is) and
// one `rollout` job per set is queued (shared/rollout/route.ts).
import pLimit from 'p-limit';
import { changedFilesOf, configChanged, matchPush } from '../config/match.ts';
import { sameRepo } from '../config/repo-url.ts';
import type { Registry } from '../config/types.ts';
import { MAX_CARRIED_SYNCS, rolloutId, targetId, type Job, type SyncJob } from '../queue/job.ts';
import { routeRollouts, type RolloutMark } from '../rollout/route.ts';
import { setsToReevaluate } from '../appset/watch.ts';
import { TARGET_WRITES_AT_ONCE } from '../state/store.ts';
import { ignored, type EventOutcome } from './accepted.ts';
import { BadDeliveryError } from './errors.ts';

export interface PushContext {
  registry(): Promise<Registry | undefined>;
  /**
   * The registry's apps that follow `branch` of `repoURL` (or its default branch): what a push can
   * touch, read from the registry's push index (one Query) instead of the whole registry. Absent:
   * `registry()` answers.
   */
  pushRegistry?(repoURL: string, branch: string): Promise<Registry | undefined>;
  /** The config repository and branch whose pushes refresh the registry. */
  configRepo?: { repoURL: string; branch: string; dir: string };
  requestSync(target: { app: string; cluster: string }, revision: string): Promise<unknown>;
  /** Marks a target for its set's rollout (StateStore.markRollout); absent: no push becomes a rollout. */
  markRollout?(target: RolloutMark['target'], rollout: RolloutMark['rollout']): Promise<unknown>;
  deliveryId: string;
  enqueuedAt: string;
}

interface PushPayload {
  ref?: string;
  after?: string;
  deleted?: boolean;
  created?: boolean;
  forced?: boolean;
  commits?: Array<{ added?: string[]; removed?: string[]; modified?: string[] }>;
  /** Null on a push that adds no commit; its `timestamp` is ISO 8601 with the committer's offset. */
  head_commit?: { timestamp?: string } | null;
  repository?: { clone_url?: string; html_url?: string; ssh_url?: string; default_branch?: string; master_branch?: string };
}

export async function pushDelivery(payload: unknown, context: PushContext): Promise<EventOutcome> {
  const push = payload as PushPayload;
  if (typeof push.ref !== 'string') throw new BadDeliveryError('push payload has no "ref"');
  if (push.ref.startsWith('refs/tags/')) return ignored('tag pushes do not sync (pin a tag as targetRevision and push the config repo instead)');
  if (!push.ref.startsWith('refs/heads/')) return ignored(`ref ${push.ref} is not a branch`);
  if (push.deleted) return ignored('branch deletions do not sync');
  const repoURL = push.repository?.clone_url ?? push.repository?.html_url;
  if (!repoURL) throw new BadDeliveryError('push payload has no repository.clone_url');
  if (typeof push.after !== 'string' || !/^[0-9a-f]{40}$/.test(push.after)) throw new BadDeliveryError('push payload "after" is not a commit sha');

  const branch = push.ref.slice('refs/heads/'.length);
  const changedFiles = changedFilesOf(push);
  const committedAt = commitTime(push.head_commit?.timestamp);
  const { jobs: found, registry } = await jobsFor(context, {
    repoURL,
    branch,
    headSha: push.after,
    changedFiles,
    defaultBranch: push.repository?.default_branch,
    committedAt,
  });
  if (found.length === 0) return { statusCode: 200, body: { message: 'nothing to do: no app tracks these files on this branch' } };

  const { markRollout } = context;
  const routed =
    registry && markRollout
      ? routeRollouts(found, registry, { id: push.after, repoURL, ref: branch })
      : { jobs: found, marks: [], syncs: found.filter((job): job is SyncJob => job.kind === 'sync') };
  const { marks, syncs } = routed;
  const jobs = carrySyncs(routed.jobs, syncs);
  const rollouts = jobs.filter((job) => job.kind === 'rollout');
  const refresh = jobs.some((job) => job.kind === 'registry-refresh');
  const message = [
    syncs.length > 0 ? `${syncs.length} sync job(s)` : '',
    rollouts.length > 0 ? `${rollouts.length} rollout(s) of ${marks.length} target(s)` : '',
    refresh ? 'a registry refresh' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return {
    jobs,
    record: async () => {
      // A few at once: one after another, a push matching 1,000 apps kept GitHub waiting for
      // seconds of its 10-second delivery timeout.
      const limit = pLimit(TARGET_WRITES_AT_ONCE);
      await Promise.all([
        ...syncs.map((job) => limit(() => context.requestSync(job, job.revision))),
        ...marks.map((mark) => limit(() => markRollout!(mark.target, mark.rollout))),
      ]);
    },
    body: {
      message: `${message} queued`,
      targets: syncs.map((job) => targetId(job.app, job.cluster)),
      ...(rollouts.length > 0
        ? {
            rollouts: rollouts.map((job) => (job.kind === 'rollout' ? rolloutId(job.set) : '')),
            rolloutTargets: marks.map(({ target }) => targetId(target.app, target.cluster)),
          }
        : {}),
      ...(refresh ? { registryRefresh: true } : {}),
      revision: push.after,
    },
  };
}

async function jobsFor(
  context: PushContext,
  push: { repoURL: string; branch: string; headSha: string; changedFiles: string[] | 'all'; defaultBranch?: string; committedAt?: string },
): Promise<{ jobs: Job[]; registry?: Registry }> {
  const { deliveryId, enqueuedAt } = context;
  const jobs: Job[] = [];
  const config = context.configRepo;
  if (config && sameRepo(config.repoURL, push.repoURL) && config.branch === push.branch && configChanged(config.dir, push.changedFiles)) {
    jobs.push({ kind: 'registry-refresh', revision: push.headSha, ref: push.branch, trigger: 'config', deliveryId, enqueuedAt });
  }
  const registry = await branchRegistry(context, push.repoURL, push.branch);
  // A change to what an ApplicationSet's git generator reads re-evaluates the sets: a registry
  // refresh at the config branch's head (the push index files the sets under what they read).
  if (config && registry && !jobs.some((job) => job.kind === 'registry-refresh') && setsToReevaluate(registry, push).length > 0) {
    jobs.push({ kind: 'registry-refresh', revision: config.branch, ref: config.branch, trigger: 'generator', deliveryId, enqueuedAt });
  }
  if (registry) {
    for (const target of matchPush(registry, push)) {
      jobs.push({
        kind: 'sync',
        app: target.app,
        cluster: target.cluster,
        revision: push.headSha,
        ref: push.branch,
        trigger: 'push',
        deliveryId,
        enqueuedAt,
        ...(push.committedAt ? { committedAt: push.committedAt } : {}),
      });
    }
  }
  return { jobs, registry };
}

/**
 * A push that changes the registry and apps at once: the apps' syncs ride on the refresh, which
 * sends them once the registry of this commit is stored (or refused), so they never run against
 * the registry before it — a push denying plain Secrets in a project and adding one to its app
 * must be refused, and a sync job beside the refresh could run first (jobs of different groups
 * run at once). Requests are written as for any sync; more than MAX_CARRIED_SYNCS go on their own.
 */
function carrySyncs(jobs: Job[], syncs: SyncJob[]): Job[] {
  const refresh = jobs.find((job) => job.kind === 'registry-refresh' && job.trigger === 'config');
  if (!refresh || refresh.kind !== 'registry-refresh' || syncs.length === 0 || syncs.length > MAX_CARRIED_SYNCS) return jobs;
  const carried = new Set<Job>(syncs);
  const committedAt = syncs[0].committedAt;
  return jobs
    .filter((job) => !carried.has(job))
    .map((job) =>
      job === refresh
        ? { ...refresh, thenSync: syncs.map((sync) => ({ app: sync.app, cluster: sync.cluster })), ...(committedAt ? { committedAt } : {}) }
        : job,
    );
}

/** The apps a change to `branch` of `repoURL` can touch: the push index when there is one, else the whole registry. */
export function branchRegistry(context: Pick<PushContext, 'registry' | 'pushRegistry'>, repoURL: string, branch: string): Promise<Registry | undefined> {
  return context.pushRegistry ? context.pushRegistry(repoURL, branch) : context.registry();
}

/** The head commit's time in UTC, where DORA's lead time starts; none when the payload has no readable one. */
function commitTime(timestamp: string | undefined): string | undefined {
  const ms = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
