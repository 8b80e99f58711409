// A parent's wave plan, as pure functions: which children a new sync of the parent puts in it,
// and how a plan and the children's recorded states meet the wave policy.
//
// A parent's sync plans the children it made new or changed. A rollout of an earlier commit
// may still be under way (wave 2 not started yet): its unfinished children are carried into
// the new plan rather than dropped, so a push that touches only one child does not strand the
// rest. A carried child that followed the parent's commit follows the new one.
import { targetId } from '../queue/job.ts';
import type { TargetState, WavePlan, WavePlanChild } from '../state/types.ts';
import type { WaveChild } from './wave-policy.ts';

/**
 * The plan's children: `changed` (this sync's), then the earlier plan's children that are not
 * done, still children of the parent (`current`) and not changed now.
 */
export function planChildren(
  changed: WavePlanChild[],
  previous: WavePlan | undefined,
  revision: string,
  current: Set<string>,
  states: Map<string, TargetState>,
): WavePlanChild[] {
  // Keyed as the caller keys `states` (targetId).
  const key = (child: { app: string; cluster: string }) => targetId(child.app, child.cluster);
  const taken = new Set(changed.map(key));
  const carried = (previous?.children ?? [])
    .filter((child) => !taken.has(key(child)) && current.has(child.app) && !isDone(child, states.get(key(child))))
    .map((child) => (child.revision === previous?.revision ? { ...child, revision } : child));
  return [...changed, ...carried];
}

/** The plan's children as the policy reads them, with what each target records. */
export function waveChildren(plan: WavePlan, states: Map<string, TargetState>): WaveChild[] {
  return plan.children.map((child) => ({
    app: child.app,
    cluster: child.cluster,
    wave: child.wave,
    revision: child.revision ?? '',
    ...(child.problem !== undefined ? { problem: child.problem } : {}),
    state: states.get(targetId(child.app, child.cluster)),
  }));
}

function isDone(child: WavePlanChild, state: TargetState | undefined): boolean {
  return child.revision !== undefined && state?.revision === child.revision && state.syncStatus === 'Synced' && state.health === 'Healthy';
}
