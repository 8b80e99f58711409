// Where one target stands in its ApplicationSet's rollout, for `driftless apps` and the
// dashboard's rows: the step it belongs to (k of n) and, when there is one, the gate its step
// waits at, why the rollout halted, who aborted it, or which step it waits for. Worked out from
// ONE read of the rollout items (listRollouts, a Query) and the registry already read, never a
// read per row. A target shows progress only while it takes part in the set's current rollout
// (its `rollout` mark names that rollout) and the rollout is not done.
import type { RollingSyncStep } from '../appset/types.ts';
import type { AppSpec, Registry } from '../config/types.ts';
import { rollingSets, stepOf } from '../rollout/steps.ts';
import type { RolloutState } from '../rollout/types.ts';
import type { TargetState } from '../state/types.ts';

export interface RolloutProgress {
  set: string;
  /** The target's step, 1-based as people count steps ("step 2 of 3"). */
  step: number;
  steps: number;
  /** The gate the step waits at, the halt or abort, or the step it waits for; absent while its step runs or is done. */
  gate?: string;
}

/** The registry's RollingSync steps by set, and the sets' rollouts: built once per read, asked once per row. */
export function rolloutProgressOf(
  registry: Registry,
  rollouts: readonly RolloutState[],
): (app: AppSpec | undefined, state: TargetState | undefined) => RolloutProgress | undefined {
  const steps = new Map<string, readonly RollingSyncStep[]>(rollingSets(registry).map((set) => [set.name, set.strategy.steps]));
  const current = new Map(rollouts.map((rollout) => [rollout.set, rollout]));
  return (app, state) => {
    const mark = state?.rollout;
    const rollout = mark && current.get(mark.set);
    if (!app || !mark || !rollout || rollout.id !== mark.id || rollout.status === 'done') return undefined;
    const setSteps = steps.get(mark.set);
    const index = setSteps && stepOf(app.labels, setSteps);
    if (index === undefined || !setSteps) return undefined;
    const gate = gateFor(rollout, index);
    return { set: mark.set, step: index + 1, steps: setSteps.length, ...(gate !== undefined ? { gate } : {}) };
  };
}

function gateFor(rollout: RolloutState, index: number): string | undefined {
  if (rollout.status === 'halted') return `halted at step ${rollout.step + 1}${rollout.reason ? `: ${rollout.reason}` : ''}`;
  if (rollout.status === 'aborted') return rollout.reason ?? `aborted${rollout.by ? ` by ${rollout.by}` : ''}`;
  if (index > rollout.step) return `waits for step ${rollout.step + 1}`;
  if (rollout.status === 'waiting' && index === rollout.step) return rollout.reason ?? 'at the gate';
  return undefined;
}

/** "step 2 of 3", with the gate when there is one: how a row shows it. */
export function describeProgress(progress: RolloutProgress): string {
  return `step ${progress.step} of ${progress.steps}${progress.gate ? ` (${progress.gate})` : ''}`;
}
