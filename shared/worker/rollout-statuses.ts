// What a rollout says on the commits of the targets it has not started (rollout-job.ts): waiting
// for their step or their turn, left out (no step selects them), or — superseded, halted, aborted —
// not applied and why. Posted a few at a time, and only when what they say changes (a new step, a
// gate, a halt, an abort), never on every step job.
import type { RollingSyncStep } from '../appset/types.ts';
import { revisionRepoURL } from '../config/app-sources.ts';
import type { Registry } from '../config/types.ts';
import type { CommitState } from '../github/status.ts';
import { targetId } from '../queue/job.ts';
import { phaseOf, type StepTarget } from '../rollout/decide.ts';
import { setTargets, stepLabel, type RollingSet, type SetTarget } from '../rollout/steps.ts';
import type { RolloutState } from '../rollout/types.ts';
import type { TargetState } from '../state/types.ts';
import type { WorkerDependencies } from './dependencies.ts';
import { supersededStatus } from './policy/superseded.ts';
import { postStatus } from './report.ts';

/** Commit statuses posted at once for a set's pending targets. */
const STATUS_CONCURRENCY = 8;

/**
 * Every target of the rollout not started yet says where the rollout is: waiting (for its step,
 * or its turn in the current one), or — halted or aborted — that it was not applied and why.
 */
export async function reportPending(state: RolloutState, set: RollingSet, registry: Registry, deps: WorkerDependencies): Promise<void> {
  const steps = set.strategy.steps;
  const targets = setTargets(registry, set.name, steps).filter((target) => target.step !== undefined && target.step >= state.step);
  const states = await deps.store.getTargets(targets);
  const pending = targets.flatMap((target) => {
    const recorded = states.get(targetId(target.app, target.cluster));
    const mark = recorded?.rollout;
    if (mark?.set !== set.name || mark.id !== state.id) return [];
    if (!notStarted({ ...target, revision: mark.revision, state: recorded })) return [];
    return [{ target, revision: mark.revision, recorded }];
  });
  await inBatches(pending, STATUS_CONCURRENCY, async ({ target, revision, recorded }) => {
    const [commitState, description] = pendingStatus(state, steps, target.step!);
    const report = { app: target.app, cluster: target.cluster, repoURL: revisionRepoURL(target.spec, deps.configRepo?.repoURL), revision };
    await postStatus(deps, report, commitState, description, recorded);
  });
}

function pendingStatus(state: RolloutState, steps: readonly RollingSyncStep[], step: number): [CommitState, string] {
  const at = `step ${state.step + 1} of ${steps.length}`;
  switch (state.status) {
    case 'halted':
      return ['failure', `not applied: rollout halted at ${state.reason ?? at}`];
    case 'aborted':
      return ['failure', `not applied: rollout aborted${state.by ? ` by ${state.by}` : ''} at ${at}`];
    default: {
      const where = state.status === 'waiting' ? `step ${state.step + 1} ${state.reason ?? 'at its gate'}` : `step ${state.step + 1} syncing`;
      if (step === state.step) {
        const maxUpdate = steps[step].maxUpdate;
        if (maxUpdate === 0 || maxUpdate === '0' || maxUpdate === '0%')
          return ['pending', `waiting to be synced by hand: rollout ${stepLabel(step, steps)} starts none of its apps (maxUpdate 0)`];
        return ['pending', `waiting for its turn in rollout ${stepLabel(step, steps)}: at most ${String(maxUpdate)} at once`];
      }
      return ['pending', `waiting for rollout ${stepLabel(step, steps)}: ${where}`];
    }
  }
}

/**
 * A target the superseded rollout had told to wait ("waiting for rollout step …" on its old
 * commit) and that the new rollout now holds: that commit will never be applied, and its status
 * says so (`failure`, as for any commit superseded before it was applied) instead of staying pending.
 */
export async function reportSuperseded(targets: SetTarget[], states: Map<string, TargetState>, id: string, deps: WorkerDependencies): Promise<void> {
  const told = targets.flatMap((target) => {
    const recorded = states.get(targetId(target.app, target.cluster));
    const posted = recorded?.lastPostedStatus;
    if (recorded?.rollout?.id !== id || !posted || posted.sha === recorded.rollout.revision || !WAITING.test(posted.description)) return [];
    const description = supersededStatus(posted.sha, recorded.rollout.revision, posted);
    return description ? [{ target, sha: posted.sha, description, recorded }] : [];
  });
  await inBatches(told, STATUS_CONCURRENCY, async ({ target, sha, description, recorded }) => {
    const report = { app: target.app, cluster: target.cluster, repoURL: revisionRepoURL(target.spec, deps.configRepo?.repoURL), revision: sha };
    await postStatus(deps, report, 'failure', description, recorded);
  });
}

/** The descriptions reportPending posts while a target waits. */
const WAITING = /^waiting (for rollout step|for its turn in rollout step|to be synced by hand: rollout step)/;

/** Targets of the set no step selects are left out of the rollout (Argo CD's rule): their own item and status say so. */
export async function reportUnselected(
  set: RollingSet,
  targets: SetTarget[],
  states: Map<string, TargetState>,
  id: string,
  deps: WorkerDependencies,
): Promise<void> {
  const left = targets.filter((target) => target.step === undefined && states.get(targetId(target.app, target.cluster))?.rollout?.id === id);
  await inBatches(left, STATUS_CONCURRENCY, async (target) => {
    const message = `left out of the rollout of ApplicationSet ${set.name}: no RollingSync step selects its labels; sync it by hand (driftless sync ${target.app})`;
    await deps.store.putTargetState({ app: target.app, cluster: target.cluster, message });
    const revision = states.get(targetId(target.app, target.cluster))?.rollout?.revision ?? id;
    const report = { app: target.app, cluster: target.cluster, repoURL: revisionRepoURL(target.spec, deps.configRepo?.repoURL), revision };
    await postStatus(deps, report, 'pending', message, states.get(targetId(target.app, target.cluster)));
  });
}

/** Not started by the rollout yet: waiting for its step or its turn, or held (suspended, pinned). */
export function notStarted(target: StepTarget): boolean {
  const phase = phaseOf(target);
  return phase === 'not-started' || phase === 'held';
}

export async function inBatches<T>(items: T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(each));
}
