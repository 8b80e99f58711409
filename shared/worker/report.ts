// Telling the world about a target: the commit status on GitHub (never the same one twice) —
// a check run and a deployment with a GitHub App, which show the sync's details too — and the
// EventBridge events. None carries manifests or secrets: only names, counts and messages.
import type { DetailType, EventDetailInput } from '../events/event.ts';
import type { CheckDetails } from '../github/check-details.ts';
import { sameStatus, statusContext, truncateDescription, type CommitState, type CommitStatus } from '../github/status.ts';
import type { SyncJob } from '../queue/job.ts';
import type { PostedStatus, TargetState } from '../state/types.ts';
import type { WorkerDependencies } from './dependencies.ts';
import type { SyncEnding } from './policy/final-report.ts';

export interface TargetReport {
  app: string;
  cluster: string;
  repoURL: string;
  revision: string;
  /** The app of apps that declared this app, named in its statuses. */
  parent?: string;
}

export async function postStatus(
  deps: WorkerDependencies,
  target: TargetReport,
  state: CommitState,
  description: string,
  current?: TargetState,
  /** Why, when the state alone does not say it, and what the sync did: for check runs and deployments. */
  details: Omit<CheckDetails, 'app' | 'cluster'> = {},
): Promise<void> {
  const status = statusFor(target, state, description, details);
  if (postedBefore(status, current?.lastPostedStatus)) return;
  if (!(await sendStatus(deps, status))) return;
  try {
    await deps.store.putTargetState({ app: target.app, cluster: target.cluster, lastPostedStatus: postedOf(status) });
  } catch (error) {
    // A status that cannot be recorded must not fail or repeat the sync.
    deps.logger.warn('commit status not recorded', { app: target.app, cluster: target.cluster, error: (error as Error).message });
  }
}

/** The commit status a target posts, as postStatus posts it. */
export function statusFor(target: TargetReport, state: CommitState, description: string, details: Omit<CheckDetails, 'app' | 'cluster'> = {}): CommitStatus {
  return {
    repoURL: target.repoURL,
    sha: target.revision,
    state,
    context: statusContext(target.app, target.cluster),
    description: truncateDescription(target.parent ? `[child of ${target.parent}] ${description}` : description),
    check: { app: target.app, cluster: target.cluster, ...details },
  };
}

/** What the target keeps of a status it posted (its lastPostedStatus). */
export function postedOf(status: CommitStatus): PostedStatus {
  return { sha: status.sha, state: status.state, description: status.description };
}

/** True when `last` is this very status: it is not posted again. */
export function postedBefore(status: CommitStatus, last: PostedStatus | undefined): boolean {
  return last !== undefined && sameStatus({ ...status, sha: last.sha, state: last.state as CommitState, description: last.description }, status);
}

/** Posts without recording it (the caller records it, or did); false when it could not be posted. */
export async function sendStatus(deps: WorkerDependencies, status: CommitStatus): Promise<boolean> {
  try {
    await deps.statuses.post(status);
    return true;
  } catch (error) {
    // A status that cannot be posted must not fail or repeat the sync.
    deps.logger.warn('commit status not posted', { app: status.check?.app, cluster: status.check?.cluster, error: (error as Error).message });
    return false;
  }
}

/** What a sync's ending tells a check run beyond its commit status: the result's objects, or why there is none. */
export function endingDetails(job: SyncJob, ending: SyncEnding): Omit<CheckDetails, 'app' | 'cluster'> {
  switch (ending.kind) {
    case 'result':
    case 'retrying': {
      const { status, health, message, objects, durationMs, warnings } = ending.result;
      return { trigger: job.trigger, result: { status, health, message, objects, durationMs, warnings } };
    }
    case 'bad-input':
      return { trigger: job.trigger, reason: 'refused' };
    case 'gave-up':
      return { trigger: job.trigger, reason: 'gave-up' };
    case 'superseded':
      return { trigger: job.trigger, reason: 'superseded' };
  }
}

export async function emit(deps: WorkerDependencies, detailType: DetailType, detail: EventDetailInput): Promise<void> {
  try {
    await deps.events.emit([{ detailType, detail }]);
  } catch (error) {
    deps.logger.warn('event not emitted', { detailType, app: detail.app, cluster: detail.cluster, error: (error as Error).message });
  }
}
