// A rollback of an app's targets (`driftless rollback`, the dashboard's Rollback): every
// target's revision chosen first (rollback-rules.ts; any may refuse, and then nothing is
// changed), then each pinned there and its sync requested.
import { targetId } from '../queue/job.ts';
import type { TargetRef } from '../state/types.ts';
import type { OperationDeps } from './deps.ts';
import { RefusedError } from './errors.ts';
import { pinTarget } from './hold.ts';
import { requestTargetSync, type SyncRequest } from './request.ts';
import { chooseRollbackRevision } from './rollback-rules.ts';

export interface RollbackStep {
  cluster: string;
  revision: string;
}

/** How many recorded syncs the choice looks through. */
const HISTORY_DEPTH = 50;

/** The revision each of `clusters` goes back to; throws RefusedError before anything is changed. */
export async function planRollback(deps: Pick<OperationDeps, 'store'>, app: string, clusters: string[], to: string, force = false): Promise<RollbackStep[]> {
  const plan: RollbackStep[] = [];
  for (const cluster of clusters) {
    // A consistent read of the applied revision: `previous` is relative to it.
    const [state, history] = await Promise.all([deps.store.getTarget(app, cluster), deps.store.listHistory(app, cluster, HISTORY_DEPTH)]);
    if (history.length === 0 && !force) throw new RefusedError(`${targetId(app, cluster)} has no recorded syncs to roll back to`);
    plan.push({ cluster, revision: chooseRollbackRevision(history, state?.revision, to, force).revision });
  }
  return plan;
}

/** Pins the target to `revision` and requests its sync; `to` is what the caller asked for (the job's ref). */
export async function startRollback(deps: OperationDeps, target: TargetRef, revision: string, to: string): Promise<SyncRequest> {
  // Pin first: from here on the worker skips pushes for this target and lets the rollback job
  // through even if a push claims the target in between.
  await pinTarget(deps, target, revision);
  return requestTargetSync(deps, target, revision, 'rollback', to);
}
