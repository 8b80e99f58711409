// Telling the world about a target: the commit status on GitHub (never the same one twice) —
// a check run and a deployment with a GitHub App, which show the sync's details too — and the
// EventBridge events. None carries manifests or secrets: only names, counts and messages.
import type { DetailType, EventDetailInput } from '../events/event.ts';
import type { CheckDetails } from '../github/check-details.ts';
import { sameStatus, statusContext, truncateDescription, type CommitState } from '../github/status.ts';
import type { SyncJob } from '../queue/job.ts';
import type { TargetState } from '../state/types.ts';
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
  const status = {
    repoURL: target.repoURL,
    sha: target.revision,
    state,
    context: statusContext(target.app, target.cluster),
    description: truncateDescription(target.parent ? `[child of ${target.parent}] ${description}` : description),
    check: { app: target.app, cluster: target.cluster, ...details },
  };
  const last = current?.lastPostedStatus;
  if (last && sameStatus({ ...status, sha: last.sha, state: last.state as CommitState, description: last.description }, status)) return;
  try {
    await deps.statuses.post(status);
    await deps.store.putTargetState({
      app: target.app,
      cluster: target.cluster,
      lastPostedStatus: { sha: status.sha, state, description: status.description },
    });
  } catch (error) {
    // A status that cannot be posted must not fail or repeat the sync.
    deps.logger.warn('commit status not posted', { app: target.app, cluster: target.cluster, error: (error as Error).message });
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
