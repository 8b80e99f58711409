// How the commands show and filter the rows of shared/operations/targets.ts (one per app ×
// cluster): depth under an app of apps, status and drift labels, failing, --status.
import type { TargetView } from '../../shared/operations/targets.ts';

/** How deep each view sits under the listed views' roots (0 for a root); the parent map is built once for the list. */
export function depthsIn(views: TargetView[]): (view: TargetView) => number {
  const parents = new Map(views.map((candidate) => [candidate.app, candidate.parent]));
  return (view) => {
    let depth = 0;
    const seen = new Set<string>([view.app]);
    for (let parent = view.parent; parent !== undefined && parents.has(parent) && !seen.has(parent); parent = parents.get(parent)) {
      seen.add(parent);
      depth++;
    }
    return depth;
  };
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
