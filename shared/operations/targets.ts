// One row per app × cluster: every destination in the registry (synced or not yet) and every
// recorded target (an app removed from the registry still shows until its state is gone).
// An app of apps' children follow their parent (depth first), so the list reads as the tree.
import { parentOf } from '../app-of-apps/types.ts';
import type { Registry } from '../config/types.ts';
import { targetId } from '../queue/job.ts';
import type { DriftStatus, HealthStatus, SyncStatus, TargetState } from '../state/types.ts';

export interface TargetView {
  app: string;
  cluster: string;
  /** The app of apps whose render declared this app; absent for apps written in the registry folder. */
  parent?: string;
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

export function targetView(state: TargetState | undefined, app: string, cluster: string, registered: boolean, namespace?: string, parent?: string): TargetView {
  return {
    app,
    cluster,
    ...(parent !== undefined ? { parent } : {}),
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
      views.push(targetView(byKey.get(key), app.name, destination.cluster, true, destination.namespace, parentOf(app)));
      byKey.delete(key);
    }
  }
  for (const state of byKey.values()) views.push(targetView(state, state.app, state.cluster, false));
  return treeOrder(views);
}

/**
 * Views sorted by app and cluster, each app's children right after it (depth first). A view
 * whose parent is not in the list (filtered out, or gone) stands among the roots.
 */
function treeOrder(views: TargetView[]): TargetView[] {
  const sorted = [...views].sort((a, b) => a.app.localeCompare(b.app) || a.cluster.localeCompare(b.cluster));
  // Grouped once, so a fleet of thousands is ordered in one pass rather than one scan per app.
  const rowsOf = new Map<string, TargetView[]>();
  const childrenOf = new Map<string, Set<string>>();
  for (const view of sorted) {
    const rows = rowsOf.get(view.app);
    if (rows) rows.push(view);
    else rowsOf.set(view.app, [view]);
    if (view.parent !== undefined) childrenOf.set(view.parent, (childrenOf.get(view.parent) ?? new Set()).add(view.app));
  }
  const ordered: TargetView[] = [];
  const placed = new Set<string>();
  const place = (app: string) => {
    // `placed` also stops a parent loop in stored data from recursing for ever.
    if (placed.has(app)) return;
    placed.add(app);
    ordered.push(...(rowsOf.get(app) ?? []));
    for (const child of childrenOf.get(app) ?? []) place(child);
  };
  for (const view of sorted) if (view.parent === undefined || !rowsOf.has(view.parent)) place(view.app);
  // Whatever a loop kept out of reach of every root, in name order.
  for (const view of sorted) place(view.app);
  return ordered;
}
