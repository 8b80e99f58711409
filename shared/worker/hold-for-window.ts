// Carries out the sync-window decision (policy/sync-window.ts) for one sync job, before it
// claims its request:
//   - allowed: the job goes on, and a wait recorded for its revision is over;
//   - an automated sync held back: the target records the wait (`windowWait`, the message, OutOfSync)
//     and the commit gets a pending status "waiting for the sync window <name>, opens at <time>";
//     the drift-scan planner sends the job again once the window is open (drift/window-waits.ts).
//     A self-heal is not recorded: its commit is the one applied, and the first scan after the
//     window opens heals what is still drifted;
//   - a manual sync the windows refuse: the job goes on to claim its request and records the
//     refusal as its result, so `driftless sync --wait` answers with it and exits 1.
// A job whose revision is no longer the requested one is left to the claim, which stands it down.
// A continuation is never asked: the sync it continues is under way (see the policy).
import type { AppSpec, ClusterSpec, ProjectSpec } from '../config/types.ts';
import type { SyncJob } from '../queue/job.ts';
import type { TargetState, WindowWait } from '../state/types.ts';
import { parentOf } from '../app-of-apps/types.ts';
import type { WorkerDependencies } from './dependencies.ts';
import { supersededStatus } from './policy/superseded.ts';
import { decideSyncWindow } from './policy/sync-window.ts';
import { postStatus } from './report.ts';

export type WindowGate =
  | { action: 'go' }
  /** Not applied now: recorded as waiting (or, for self-heal, left to the next scan). */
  | { action: 'held' }
  /** A manual sync refused: record `message` as the job's result. */
  | { action: 'refuse'; message: string };

export interface WindowedTarget {
  app: AppSpec;
  cluster: ClusterSpec;
  namespace: string;
  /** Undefined: the sync refuses the unknown project itself. */
  project: ProjectSpec | undefined;
  /** Where the job's commit statuses go. */
  repoURL: string;
}

export async function holdForSyncWindow(job: SyncJob, target: WindowedTarget, current: TargetState | undefined, deps: WorkerDependencies): Promise<WindowGate> {
  const windows = target.project?.syncWindows ?? [];
  if (job.continuation !== undefined || windows.length === 0) return { action: 'go' };
  const now = deps.now?.() ?? new Date();
  const ref = { app: target.app.name, cluster: target.cluster.name };
  const decision = decideSyncWindow(
    windows,
    { app: target.app.name, namespace: target.namespace, cluster: { name: target.cluster.name, server: target.cluster.server } },
    job.trigger,
    now,
  );
  const log = { app: job.app, cluster: job.cluster, revision: job.revision, trigger: job.trigger, deliveryId: job.deliveryId };

  if (decision.action === 'sync') {
    if (current?.windowWait?.revision === job.revision) await deps.store.putTargetState(ref, { remove: ['windowWait'] });
    return { action: 'go' };
  }
  if (decision.action === 'refuse') {
    // A push of the same commit that waits keeps waiting: the refusal is the manual request's answer only.
    deps.logger.info('manual sync refused by a sync window', { ...log, window: decision.window });
    return { action: 'refuse', message: decision.message };
  }
  if (job.trigger === 'self-heal') {
    deps.logger.info('self-heal held by a sync window; the next scan after it opens heals', { ...log, window: decision.window });
    return { action: 'held' };
  }
  if (current?.requestedRevision !== undefined && current.requestedRevision !== job.revision) return { action: 'go' };

  const wait: WindowWait = { revision: job.revision, trigger: job.trigger, window: decision.window, since: now.toISOString() };
  if (job.ref !== undefined) wait.ref = job.ref;
  if (job.deliveryId !== undefined) wait.deliveryId = job.deliveryId;
  if (job.committedAt !== undefined) wait.committedAt = job.committedAt;
  if (decision.opensAt) wait.opensAt = decision.opensAt.toISOString();
  await deps.store.putTargetState({ ...ref, namespace: target.namespace, syncStatus: 'OutOfSync', message: decision.message, windowWait: wait });
  deps.logger.info('sync held by a sync window; sent again when it opens', { ...log, window: decision.window, opensAt: wait.opensAt });

  const report = { ...ref, repoURL: target.repoURL, parent: parentOf(target.app) };
  // The commit that waited before this one will not be applied: say so, or it stays pending.
  const older = current?.windowWait?.revision;
  if (older !== undefined && older !== job.revision) {
    const superseded = supersededStatus(older, job.revision, current?.lastPostedStatus);
    if (superseded) await postStatus(deps, { ...report, revision: older }, 'failure', superseded, current, { reason: 'superseded' });
  }
  await postStatus(deps, { ...report, revision: job.revision }, 'pending', decision.message, current, { reason: 'held', trigger: job.trigger });
  return { action: 'held' };
}
