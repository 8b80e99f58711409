// One row per app × cluster: every destination in the registry (synced or not yet) and every
// recorded target (an app removed from the registry still shows until its state is gone).
import type { Registry } from '../../shared/config/types.ts';
import { targetId } from '../../shared/queue/job.ts';
import type { DriftStatus, HealthStatus, SyncStatus, TargetState } from '../../shared/state/types.ts';

export interface TargetView {
  app: string;
  cluster: string;
  namespace?: string;
  /** Applied commit. */
  revision?: string;
  requestedRevision?: string;
  syncStatus: SyncStatus;
  health: HealthStatus;
  driftStatus: DriftStatus;
  driftedCount: number;
  lastSyncFinishedAt?: string;
  durationMs?: number;
  message: string;
  suspended: boolean;
  pinnedRevision?: string;
  /** False when the app or this destination left the registry. */
  registered: boolean;
}

export function targetView(state: TargetState | undefined, app: string, cluster: string, registered: boolean, namespace?: string): TargetView {
  return {
    app,
    cluster,
    namespace: state?.namespace ?? namespace,
    revision: state?.revision,
    requestedRevision: state?.requestedRevision,
    syncStatus: state?.syncStatus ?? 'Unknown',
    health: state?.health ?? 'Unknown',
    driftStatus: state?.driftStatus ?? 'Unknown',
    driftedCount: state?.driftedCount ?? 0,
    lastSyncFinishedAt: state?.lastSyncFinishedAt,
    durationMs: state?.durationMs,
    message: state?.message ?? (state ? '' : 'never synced'),
    suspended: state?.suspended === true,
    pinnedRevision: state?.pinnedRevision,
    registered,
  };
}

export function targetViews(registry: Registry, states: TargetState[]): TargetView[] {
  const byKey = new Map(states.map((state) => [targetId(state.app, state.cluster), state]));
  const views: TargetView[] = [];
  for (const app of registry.apps) {
    for (const destination of app.destinations) {
      const key = targetId(app.name, destination.cluster);
      views.push(targetView(byKey.get(key), app.name, destination.cluster, true, destination.namespace));
      byKey.delete(key);
    }
  }
  for (const state of byKey.values()) views.push(targetView(state, state.app, state.cluster, false));
  return views.sort((a, b) => a.app.localeCompare(b.app) || a.cluster.localeCompare(b.cluster));
}

/** "Synced", "Synced (pinned 1a2b3c4)", "OutOfSync (suspended)". */
export function statusLabel(view: TargetView): string {
  const hold = view.pinnedRevision ? ` (pinned ${view.pinnedRevision.slice(0, 7)})` : view.suspended ? ' (suspended)' : '';
  return `${view.syncStatus}${hold}`;
}

export function driftLabel(view: TargetView): string {
  return view.driftStatus === 'Drifted' ? `Drifted (${view.driftedCount})` : view.driftStatus;
}

/** A target that counts as failed for the exit code: its last sync failed or it is unhealthy. */
export function isFailing(view: TargetView): boolean {
  return view.syncStatus === 'Failed' || view.health === 'Degraded' || view.health === 'Missing';
}

/** --status matches the sync status, the health, the drift status, or "suspended"/"pinned". */
export function matchesStatus(view: TargetView, status: string): boolean {
  const wanted = status.toLowerCase();
  if (wanted === 'suspended') return view.suspended;
  if (wanted === 'pinned') return view.pinnedRevision !== undefined;
  return [view.syncStatus, view.health, view.driftStatus].some((value) => value.toLowerCase() === wanted);
}
