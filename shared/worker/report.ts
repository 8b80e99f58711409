// Telling the world about a target: the commit status on GitHub (never the same one twice)
// and the EventBridge events. Neither carries manifests or secrets: only names and counts.
import type { DetailType, EventDetailInput } from '../events/event.ts';
import { sameStatus, statusContext, truncateDescription, type CommitState } from '../github/status.ts';
import type { TargetState } from '../state/types.ts';
import type { WorkerDependencies } from './dependencies.ts';

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
): Promise<void> {
  const status = {
    repoURL: target.repoURL,
    sha: target.revision,
    state,
    context: statusContext(target.app, target.cluster),
    description: truncateDescription(target.parent ? `[child of ${target.parent}] ${description}` : description),
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

export async function emit(deps: WorkerDependencies, detailType: DetailType, detail: EventDetailInput): Promise<void> {
  try {
    await deps.events.emit([{ detailType, detail }]);
  } catch (error) {
    deps.logger.warn('event not emitted', { detailType, app: detail.app, cluster: detail.cluster, error: (error as Error).message });
  }
}
