// Routing: the syncs a push or a config change would enqueue, with those of an ApplicationSet
// that has a RollingSync strategy taken out — its apps are never synced straight from a push.
// Each such target is marked instead (`TargetRollout` on its own item, one write, as a request
// is) and ONE `rollout` start job per set takes the syncs' place, where the set's first sync was:
// the rollout then starts the targets step by step (shared/worker/rollout-job.ts). Pure: the
// caller writes the marks (before it enqueues, as it requests targets today).
import type { AppSpec, Registry } from '../config/types.ts';
import { AUTOMATED_TRIGGERS, type Job, type RolloutJob, type SyncJob } from '../queue/job.ts';
import type { TargetRef } from '../state/types.ts';
import { rollingSets } from './steps.ts';
import type { TargetRollout } from './types.ts';

export interface RolloutMark {
  target: TargetRef;
  rollout: TargetRollout;
}

export interface RoutedJobs {
  jobs: Job[];
  /** Targets to mark before the jobs are sent. */
  marks: RolloutMark[];
  /** The syncs that remain (not taken by a rollout): the targets to request as before. */
  syncs: SyncJob[];
}

export interface RolloutOrigin {
  /** The rollout's id: the pushed head, or the config commit. */
  id: string;
  /** The repository and branch the commit is on (a carried target of the same follows it). */
  repoURL?: string;
  ref?: string;
}

/**
 * The set an app rolls out with, if its set has a RollingSync strategy. The webhook's push index
 * keeps no sets: it marks an app whose set rolls out with `rollingSync` (shared/state/push-index.ts).
 */
export function rolloutSetOf(
  app: Pick<AppSpec, 'applicationSet'> & { rollingSync?: boolean },
  registry: Pick<Registry, 'applicationSets'>,
): string | undefined {
  const set = app.applicationSet;
  if (set === undefined) return undefined;
  if (app.rollingSync === true) return set;
  return rollingSets(registry).some((candidate) => candidate.name === set) ? set : undefined;
}

export function routeRollouts(jobs: readonly Job[], registry: Registry, origin: RolloutOrigin): RoutedJobs {
  const apps = new Map(registry.apps.map((app) => [app.name, app]));
  const out: Job[] = [];
  const marks: RolloutMark[] = [];
  const syncs: SyncJob[] = [];
  const started = new Set<string>();
  for (const job of jobs) {
    const app = job.kind === 'sync' ? apps.get(job.app) : undefined;
    const set = app && job.kind === 'sync' && isNewCommit(job) ? rolloutSetOf(app, registry) : undefined;
    if (job.kind !== 'sync' || set === undefined) {
      out.push(job);
      if (job.kind === 'sync') syncs.push(job);
      continue;
    }
    marks.push({ target: { app: job.app, cluster: job.cluster }, rollout: { set, id: origin.id, revision: job.revision } });
    if (started.has(set)) continue;
    started.add(set);
    const start: RolloutJob = {
      kind: 'rollout',
      set,
      id: origin.id,
      reason: 'start',
      trigger: job.trigger,
      ...(origin.ref !== undefined ? { ref: origin.ref } : {}),
      ...(origin.repoURL !== undefined ? { repoURL: origin.repoURL } : {}),
      ...(job.deliveryId !== undefined ? { deliveryId: job.deliveryId } : {}),
      ...(job.committedAt !== undefined ? { committedAt: job.committedAt } : {}),
      enqueuedAt: job.enqueuedAt,
    };
    out.push(start);
  }
  return { jobs: out, marks, syncs };
}

/** A push's or config change's sync of a new commit: a manual sync, a rollback or self-heal is never a rollout. */
function isNewCommit(job: SyncJob): boolean {
  return job.continuation === undefined && job.rollout === undefined && AUTOMATED_TRIGGERS.has(job.trigger) && job.trigger !== 'self-heal';
}
