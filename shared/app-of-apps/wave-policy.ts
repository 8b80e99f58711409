// App-level sync waves: which of a parent's children may start now. Wave N+1 starts only when
// every child of wave N is Synced and Healthy at the commit the parent asked it to sync
// (Argo CD dropped app health from its app waves in 1.8: we wait for it). A child of the
// current wave that failed or is Degraded at that commit halts every later wave, and the
// answer names it. Pure: the parent's job carries it out from the children's recorded states.
import type { HealthStatus, SyncStatus } from '../state/types.ts';

export interface WaveChild {
  app: string;
  cluster: string;
  wave: number;
  /** The commit the parent asks this child to be at. */
  revision: string;
  /** Set when no commit could be resolved for the child: it stops its wave like a failed sync. */
  problem?: string;
  /** What the child's target records, if it has one. */
  state?: { requestedRevision?: string; revision?: string; syncStatus?: SyncStatus; health?: HealthStatus };
}

export type WaveDecision =
  | { kind: 'done' }
  /** `start`: children of `wave` to request and enqueue now (may be empty while others are under way). */
  | { kind: 'go'; wave: number; start: WaveChild[]; waitingFor: WaveChild[] }
  | { kind: 'halted'; wave: number; by: WaveChild; reason: string };

export function decideWave(children: WaveChild[]): WaveDecision {
  const waves = [...new Set(children.map((child) => child.wave))].sort((a, b) => a - b);
  for (const wave of waves) {
    const members = children.filter((child) => child.wave === wave);
    const open = members.filter((child) => !isDone(child));
    if (open.length === 0) continue;
    const unresolved = open.find((child) => child.problem !== undefined);
    if (unresolved)
      return {
        kind: 'halted',
        wave,
        by: unresolved,
        reason: `wave ${wave} halted: ${unresolved.app}@${unresolved.cluster} cannot sync: ${unresolved.problem}; later waves wait`,
      };
    const stopped = open.find((child) => started(child) && (child.state?.syncStatus === 'Failed' || child.state?.health === 'Degraded'));
    if (stopped) {
      const what = stopped.state?.syncStatus === 'Failed' ? 'failed to sync' : 'is Degraded';
      return {
        kind: 'halted',
        wave,
        by: stopped,
        reason: `wave ${wave} halted: ${stopped.app}@${stopped.cluster} ${what} at ${stopped.revision.slice(0, 7)}; later waves wait`,
      };
    }
    return { kind: 'go', wave, start: open.filter((child) => !started(child)), waitingFor: open.filter(started) };
  }
  return { kind: 'done' };
}

function started(child: WaveChild): boolean {
  return child.state?.requestedRevision === child.revision;
}

function isDone(child: WaveChild): boolean {
  return child.problem === undefined && child.state?.revision === child.revision && child.state.syncStatus === 'Synced' && child.state.health === 'Healthy';
}
