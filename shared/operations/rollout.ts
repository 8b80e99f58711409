// The operations on ApplicationSet rollouts the CLI (`driftless rollout …`) and the dashboard API
// share: where each set's rollout stands (with per-step counts), promote (skip the current step's
// gate) and abort (start nothing more). Promote and abort write the set's rollout item (guarded
// by its version, so they never overwrite a step in flight) and queue a step in the set's FIFO
// group, which carries them out: the next step starts, or the pending targets' statuses say who
// aborted.
import type { Registry } from '../config/types.ts';
import type { RolloutJob } from '../queue/job.ts';
import { phaseOf } from '../rollout/decide.ts';
import { describeStep, rollingSets, setTargets, type RollingSet } from '../rollout/steps.ts';
import type { RolloutState } from '../rollout/types.ts';
import type { TargetState } from '../state/types.ts';
import { targetId } from '../queue/job.ts';
import type { OperationDeps } from './deps.ts';

/** The registry's sets with a RollingSync strategy (shared/rollout/steps.ts), for the CLI and the API. */
export { rollingSets };
import { NotFoundError, RefusedError } from './errors.ts';

export interface RolloutStepView {
  /** 1-based, as people count steps. */
  number: number;
  selector: string;
  maxUpdate?: number | string;
  soakMs?: number;
  alarms?: string[];
  /** Targets of the step in this rollout, by where each stands. */
  targets: number;
  done: number;
  syncing: number;
  failed: number;
  pending: number;
}

export interface RolloutTargetView {
  app: string;
  cluster: string;
  revision: string;
  phase: 'done' | 'syncing' | 'failed' | 'degraded' | 'pending';
  syncStatus?: string;
  health?: string;
}

export interface RolloutView {
  set: string;
  /** Absent: the set has a RollingSync strategy but no commit rolled out yet. */
  state?: RolloutState;
  steps: RolloutStepView[];
  /** With a set named: the current step's targets in the rollout. */
  current?: RolloutTargetView[];
  /** Targets of the set that no step selects: left out of rollouts, synced by hand. */
  unselected: string[];
}

/** Every RollingSync set's rollout (by set name), or the one `set`'s with its current step's targets. */
export async function rolloutStatus(deps: Pick<OperationDeps, 'store'>, set?: string): Promise<RolloutView[]> {
  const registry = (await deps.store.getRegistry())?.registry;
  const sets = rollingSets(registry);
  if (set !== undefined) {
    const spec = sets.find((candidate) => candidate.name === set);
    if (!spec) throw unknownSet(set, sets);
    return [await viewOf(deps, registry!, spec, await deps.store.getRollout(set), true)];
  }
  const states = new Map((await deps.store.listRollouts()).map((state) => [state.set, state]));
  const views: RolloutView[] = [];
  for (const spec of sets) views.push(await viewOf(deps, registry!, spec, states.get(spec.name), false));
  return views;
}

/** Skips the gate the rollout waits at (soak, alarms); refused when it is not at one. */
export async function promoteRollout(deps: OperationDeps, set: string, by: string): Promise<RolloutState> {
  return changeRollout(deps, set, by, 'promote', (state) => {
    if (state.status !== 'waiting') throw new RefusedError(`rollout of ${set} is not at a gate: it is ${describe(state)}`);
    return { ...state, promoted: state.step, by };
  });
}

/** Stops the rollout: nothing more is started; the pending targets' statuses say who aborted it. */
export async function abortRollout(deps: OperationDeps, set: string, by: string): Promise<RolloutState> {
  return changeRollout(deps, set, by, 'abort', (state) => {
    if (state.status === 'done' || state.status === 'aborted') throw new RefusedError(`rollout of ${set} is ${describe(state)}: nothing to abort`);
    return { ...state, status: 'aborted', by, reason: `aborted by ${by}` };
  });
}

async function changeRollout(
  deps: OperationDeps,
  set: string,
  by: string,
  reason: 'promote' | 'abort',
  change: (state: RolloutState) => RolloutState,
): Promise<RolloutState> {
  // A step may write the item between our read and write: read again and decide again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const read = await deps.store.getRollout(set);
    if (!read) {
      const registry = (await deps.store.getRegistry())?.registry;
      const sets = rollingSets(registry);
      if (!sets.some((candidate) => candidate.name === set)) throw unknownSet(set, sets);
      throw new RefusedError(`ApplicationSet ${set} has no rollout yet: nothing to ${reason}`);
    }
    const now = (deps.now?.() ?? new Date()).toISOString();
    const next = { ...change(read), updatedAt: now };
    if (!(await deps.store.putRollout(next, read))) continue;
    const job: RolloutJob = { kind: 'rollout', set, id: read.id, reason, trigger: read.trigger as RolloutJob['trigger'], enqueuedAt: now, by };
    await deps.queue.enqueue([job]);
    return next;
  }
  throw new Error(`rollout of ${set}: written by others five times while ${reason === 'promote' ? 'promoting' : 'aborting'}; try again`);
}

function describe(state: RolloutState): string {
  const where = `step ${state.step + 1} of ${state.steps}`;
  switch (state.status) {
    case 'running':
      return `running (${where} syncing)`;
    case 'waiting':
      return `waiting at ${where}'s gate${state.reason ? ` (${state.reason})` : ''}`;
    case 'halted':
      return `halted at ${where}${state.reason ? `: ${state.reason}` : ''}`;
    case 'done':
      return 'done';
    case 'aborted':
      return `aborted${state.by ? ` by ${state.by}` : ''}`;
  }
}

function unknownSet(set: string, sets: Array<{ name: string }>): NotFoundError {
  const known = sets.map((candidate) => candidate.name);
  return new NotFoundError(
    `no ApplicationSet ${set} with a RollingSync strategy in the registry${known.length > 0 ? ` (there is ${known.join(', ')})` : ' (there is none)'}`,
  );
}

async function viewOf(
  deps: Pick<OperationDeps, 'store'>,
  registry: Registry,
  spec: RollingSet,
  state: RolloutState | undefined,
  withTargets: boolean,
): Promise<RolloutView> {
  const steps = spec.strategy.steps;
  const targets = setTargets(registry, spec.name, steps);
  const states = state ? await deps.store.getTargets(targets.filter((target) => target.step !== undefined)) : new Map<string, TargetState>();
  const inRollout = (target: (typeof targets)[number]) => state !== undefined && states.get(targetId(target.app, target.cluster))?.rollout?.id === state.id;
  const views: RolloutStepView[] = steps.map((step, index) => ({
    number: index + 1,
    selector: describeStep(step),
    ...(step.maxUpdate !== undefined ? { maxUpdate: step.maxUpdate } : {}),
    ...(step.soakMs !== undefined ? { soakMs: step.soakMs } : {}),
    ...(step.alarms !== undefined ? { alarms: step.alarms } : {}),
    targets: 0,
    done: 0,
    syncing: 0,
    failed: 0,
    pending: 0,
  }));
  const current: RolloutTargetView[] = [];
  for (const target of targets) {
    if (target.step === undefined || !inRollout(target)) continue;
    const recorded = states.get(targetId(target.app, target.cluster));
    const revision = recorded?.rollout?.revision ?? '';
    const phase = phaseOf({ app: target.app, cluster: target.cluster, revision, state: recorded });
    const shown: RolloutTargetView['phase'] =
      phase === 'done'
        ? 'done'
        : phase === 'failed'
          ? 'failed'
          : phase === 'degraded'
            ? 'degraded'
            : phase === 'not-started' || phase === 'held'
              ? 'pending'
              : 'syncing';
    const view = views[target.step];
    view.targets++;
    if (shown === 'done') view.done++;
    else if (shown === 'syncing') view.syncing++;
    else if (shown === 'pending') view.pending++;
    else view.failed++;
    if (withTargets && target.step === state?.step)
      current.push({
        app: target.app,
        cluster: target.cluster,
        revision,
        phase: shown,
        ...(recorded?.syncStatus !== undefined ? { syncStatus: recorded.syncStatus } : {}),
        ...(recorded?.health !== undefined ? { health: recorded.health } : {}),
      });
  }
  return {
    set: spec.name,
    ...(state ? { state } : {}),
    steps: views,
    ...(withTargets ? { current } : {}),
    unselected: targets.filter((target) => target.step === undefined).map((target) => targetId(target.app, target.cluster)),
  };
}
