// The `rollout` job: one step of an ApplicationSet's RollingSync rollout (the rule is
// shared/rollout/decide.ts), read top to bottom:
//   timer wait → the set and its rollout → start (supersede, carry) or drop a superseded job →
//   for the current step: read its targets → decide → start syncs | wait | gate | halt | next step.
// Event-driven: every sync the rollout starts tells it when it ends (finish.ts → notifyRollout),
// a gate's wait is a timer message in a FIFO group of its own, and nothing sleeps in the set's group,
// so a newer push's start gets through at once. Only the current step's targets are read on a
// step (one batched read); the whole set only at a rollout's start and when the pending
// targets' commit statuses change (a new step, a gate, a halt, an abort).
import { tracksBranch } from '../config/match.ts';
import { sameRepo } from '../config/repo-url.ts';
import type { Registry } from '../config/types.ts';
import type { DetailType } from '../events/event.ts';
import { targetId, type RolloutJob, type SyncJob } from '../queue/job.ts';
import { alarmReaderFor } from '../rollout/alarms.ts';
import { decideStep, type StepDecision, type StepTarget } from '../rollout/decide.ts';
import { rollingSets, setTargets, stepLabel, type RollingSet, type SetTarget } from '../rollout/steps.ts';
import type { RolloutState } from '../rollout/types.ts';
import type { JobContext, WorkerDependencies } from './dependencies.ts';
import { RetryableJobError } from './errors.ts';
import { emit } from './report.ts';
import { notStarted, reportPending, reportSuperseded, reportUnselected } from './rollout-statuses.ts';
import { syncTrigger, waitForTimer, wakeUp } from './rollout-timer.ts';

export type RolloutOutcome = 'rollout' | 'skipped';

/** Writes of the rollout item lost to another writer (a person's promote or abort) before the job is retried. */
const MAX_WRITE_RACES = 3;

export async function runRollout(job: RolloutJob, context: JobContext, deps: WorkerDependencies): Promise<RolloutOutcome> {
  if (job.dueAt !== undefined) return waitForTimer({ ...job, dueAt: job.dueAt }, context, deps);
  const registry = (await deps.store.getRegistry())?.registry;
  const set = rollingSets(registry).find((candidate) => candidate.name === job.set);
  if (!registry || !set) {
    deps.logger.warn('rollout step for a set that has no RollingSync strategy in the registry; dropped', { applicationSet: job.set, id: job.id });
    return 'skipped';
  }
  for (let race = 0; race < MAX_WRITE_RACES; race++) {
    const outcome = await step(job, set, registry, deps);
    if (outcome !== 'raced') return outcome;
  }
  throw new RetryableJobError(`rollout of ${job.set}: its item was written by others ${MAX_WRITE_RACES} times during one step; will retry`, {
    retryAfterSeconds: 1,
  });
}

async function step(job: RolloutJob, set: RollingSet, registry: Registry, deps: WorkerDependencies): Promise<RolloutOutcome | 'raced'> {
  let state = await deps.store.getRollout(job.set);
  let fresh = false;
  // A start with the id of a rollout that ended starts it again: a set's git generator can add an
  // app at an unchanged config commit (a push to the generator's repository), and the new target
  // is marked with that commit; its targets done at their commit pass their steps at once.
  if (job.reason === 'start' && (state?.id !== job.id || state.status === 'done' || state.status === 'halted')) {
    const started = await startRollout(job, set, registry, state, deps);
    if (!started) return 'raced';
    state = started;
    fresh = true;
  } else if (!state || state.id !== job.id) {
    deps.logger.info('rollout step of a superseded rollout; dropped', { applicationSet: job.set, id: job.id, current: state?.id, reason: job.reason });
    return 'skipped';
  }
  if (state.status === 'aborted') {
    if (job.reason === 'abort') await reportPending(state, set, registry, deps);
    return 'skipped';
  }
  if (state.status === 'halted' || state.status === 'done') {
    deps.logger.info('rollout step after the rollout ended; nothing to do', { applicationSet: job.set, id: job.id, status: state.status, reason: job.reason });
    return 'skipped';
  }
  return (await advance(state, set, registry, fresh, deps)) ? 'rollout' : 'raced';
}

/**
 * A newer commit's rollout replaces the set's item: the old one is superseded (its jobs are
 * dropped when they come), its targets not started yet are carried into the new one (following
 * the new commit when they follow the same repository and branch), and the new one starts from
 * the first step. Undefined when another write came first.
 */
async function startRollout(
  job: RolloutJob,
  set: RollingSet,
  registry: Registry,
  previous: RolloutState | undefined,
  deps: WorkerDependencies,
): Promise<RolloutState | undefined> {
  const steps = set.strategy.steps;
  const targets = setTargets(registry, set.name, steps);
  const states = await deps.store.getTargets(targets);
  if (previous && previous.status !== 'done' && previous.status !== 'aborted') {
    for (const target of targets) {
      const mark = states.get(targetId(target.app, target.cluster))?.rollout;
      if (mark?.id !== previous.id) continue;
      if (!notStarted({ ...target, revision: mark.revision, state: states.get(targetId(target.app, target.cluster)) })) continue;
      const follows = mark.revision === previous.id && followsCommit(target, job);
      const carried = { set: set.name, id: job.id, revision: follows ? job.id : mark.revision };
      await deps.store.markRollout(target, carried);
      states.set(targetId(target.app, target.cluster), { ...states.get(targetId(target.app, target.cluster))!, rollout: carried });
    }
  }
  const now = (deps.now?.() ?? new Date()).toISOString();
  const state: RolloutState = {
    set: set.name,
    id: job.id,
    status: 'running',
    step: 0,
    steps: steps.length,
    trigger: job.trigger,
    ...(job.deliveryId !== undefined ? { deliveryId: job.deliveryId } : {}),
    ...(job.committedAt !== undefined ? { committedAt: job.committedAt } : {}),
    ...(job.repoURL !== undefined ? { repoURL: job.repoURL } : {}),
    startedAt: now,
    updatedAt: now,
  };
  if (!(await deps.store.putRollout(state, previous))) return undefined;
  if (previous && previous.status !== 'done' && previous.status !== 'aborted')
    deps.logger.info('rollout superseded by a newer commit', { applicationSet: set.name, id: previous.id, by: job.id, step: previous.step + 1 });
  await reportSuperseded(targets, states, job.id, deps);
  await reportUnselected(set, targets, states, job.id, deps);
  await emitRollout(deps, 'Rollout Started', state, `rollout of ${short(job.id)} started: ${steps.length} step(s)`);
  return state;
}

/** A carried target follows the new commit when its app tracks the branch of the repository the new commit is on. */
function followsCommit(target: SetTarget, job: RolloutJob): boolean {
  if (job.repoURL === undefined || job.ref === undefined) return false;
  return sameRepo(target.spec.source.repoURL, job.repoURL) && tracksBranch(target.spec.source.targetRevision, job.ref);
}

/**
 * The current step, decided and carried out; a step whose gates are passed moves the rollout on
 * to the next one at once. False when another write of the item came first.
 */
async function advance(read: RolloutState, set: RollingSet, registry: Registry, fresh: boolean, deps: WorkerDependencies): Promise<boolean> {
  const steps = set.strategy.steps;
  let state = read;
  for (;;) {
    const now = deps.now?.() ?? new Date();
    const stepSpec = steps[state.step];
    const targets = await stepTargets(registry, set, state, deps);
    let decision = decideStep({ state, step: stepSpec, targets, now });
    if (decision.kind === 'read-alarms') {
      const alarms = await (deps.alarms ?? alarmReaderFor(process.env)).states(decision.names);
      decision = decideStep({ state: { ...state, healthySince: decision.healthySince }, step: stepSpec, targets, now, alarms });
    }
    const previous = state;
    const base: RolloutState = { ...state, updatedAt: now.toISOString() };
    // A wake-up that is due has fired (or is firing): it no longer holds back a new one.
    if (base.wakeAt !== undefined && Date.parse(base.wakeAt) <= now.getTime()) delete base.wakeAt;
    switch (decision.kind) {
      case 'sync': {
        const next: RolloutState = { ...base, status: 'running', reason: decision.reason };
        delete next.healthySince;
        const timed = await wakeUp(next, decision.recheckMs, now, deps);
        if (!(await deps.store.putRollout(timed, state))) return false;
        await startSyncs(timed, registry, decision.start, deps);
        if (fresh || previous.status === 'waiting') await reportPending(timed, set, registry, deps);
        log(deps, timed, decision);
        return true;
      }
      case 'gate': {
        const next = await wakeUp({ ...base, status: 'waiting', reason: decision.reason, healthySince: decision.healthySince }, decision.wakeInMs, now, deps);
        if (!(await deps.store.putRollout(next, state))) return false;
        if (fresh || previous.status !== 'waiting') await reportPending(next, set, registry, deps);
        log(deps, next, decision);
        return true;
      }
      case 'halt': {
        const reason = `${stepLabel(state.step, steps)}: ${decision.reason}; later steps are not started`;
        const next: RolloutState = { ...base, status: 'halted', reason };
        delete next.wakeAt;
        if (!(await deps.store.putRollout(next, state))) return false;
        await reportPending(next, set, registry, deps);
        await emitRollout(deps, 'Rollout Halted', next, `rollout of ${short(next.id)} halted at ${reason}`, decision.by);
        log(deps, next, decision);
        return true;
      }
      case 'read-alarms':
        throw new Error(`rollout of ${set.name}: alarms read and still asked for (a bug in decideStep)`);
      case 'next': {
        const finished = state.step + 1 >= steps.length;
        const next: RolloutState = finished ? { ...base, status: 'done', step: state.step } : { ...base, status: 'running', step: state.step + 1 };
        delete next.healthySince;
        delete next.reason;
        if (finished) delete next.wakeAt;
        if (!(await deps.store.putRollout(next, state))) return false;
        await emitRollout(deps, 'Rollout Step Completed', state, `rollout of ${short(state.id)}: ${stepLabel(state.step, steps)} completed`);
        log(deps, next, decision);
        if (finished) {
          await emitRollout(deps, 'Rollout Completed', next, `rollout of ${short(next.id)} completed: ${steps.length} step(s)`);
          return true;
        }
        state = next;
        // The next step's statuses are posted once its first targets are started (or it waits at its gate).
        fresh = true;
      }
    }
  }
}

/** The current step's targets that take part in this rollout (one batched read of the step's targets). */
async function stepTargets(
  registry: Registry,
  set: RollingSet,
  state: RolloutState,
  deps: WorkerDependencies,
): Promise<Array<StepTarget & { spec: SetTarget['spec'] }>> {
  const inStep = setTargets(registry, set.name, set.strategy.steps).filter((target) => target.step === state.step);
  const states = await deps.store.getTargets(inStep);
  return inStep.flatMap((target) => {
    const recorded = states.get(targetId(target.app, target.cluster));
    const mark = recorded?.rollout;
    if (mark?.set !== set.name || mark.id !== state.id) return [];
    return [{ app: target.app, cluster: target.cluster, revision: mark.revision, state: recorded, spec: target.spec }];
  });
}

/** Each target is requested at its rollout commit and its sync queued, carrying the rollout so its end tells it. */
async function startSyncs(state: RolloutState, registry: Registry, start: StepTarget[], deps: WorkerDependencies): Promise<void> {
  if (start.length === 0) return;
  const jobs: SyncJob[] = [];
  const enqueuedAt = (deps.now?.() ?? new Date()).toISOString();
  for (const target of start) {
    const app = registry.apps.find((candidate) => candidate.name === target.app);
    await deps.store.requestSync(target, target.revision);
    jobs.push({
      kind: 'sync',
      app: target.app,
      cluster: target.cluster,
      revision: target.revision,
      ...(app ? { ref: app.source.targetRevision } : {}),
      trigger: syncTrigger(state.trigger),
      ...(state.deliveryId !== undefined ? { deliveryId: state.deliveryId } : {}),
      enqueuedAt,
      ...(state.committedAt !== undefined ? { committedAt: state.committedAt } : {}),
      rollout: { set: state.set, id: state.id },
    });
  }
  await deps.queue.enqueue(jobs);
}

/**
 * A sync the rollout started has ended (synced, failed, refused, superseded or given up): the
 * rollout's next step is queued in the set's group.
 */
export async function notifyRollout(deps: WorkerDependencies, sync: SyncJob): Promise<void> {
  const rollout = sync.rollout;
  if (rollout === undefined) return;
  const job: RolloutJob = {
    kind: 'rollout',
    set: rollout.set,
    id: rollout.id,
    reason: 'member',
    member: targetId(sync.app, sync.cluster),
    trigger: sync.trigger,
    ...(sync.deliveryId !== undefined ? { deliveryId: sync.deliveryId } : {}),
    enqueuedAt: new Date().toISOString(),
  };
  await deps.queue.enqueue([job]);
}

async function emitRollout(deps: WorkerDependencies, detailType: DetailType, state: RolloutState, summary: string, by?: StepTarget): Promise<void> {
  await emit(deps, detailType, {
    app: by?.app ?? state.set,
    cluster: by?.cluster ?? '*',
    revision: state.id,
    summary: by ? `ApplicationSet ${state.set}: ${summary}` : summary,
    ...(state.reason !== undefined && detailType === 'Rollout Halted' ? { reason: state.reason } : {}),
    ...(state.deliveryId !== undefined ? { deliveryId: state.deliveryId } : {}),
    step: state.step + 1,
    steps: state.steps,
  });
}

function log(deps: WorkerDependencies, state: RolloutState, decision: StepDecision): void {
  deps.logger.info('rollout step', {
    applicationSet: state.set,
    id: state.id,
    decision: decision.kind,
    status: state.status,
    step: state.step + 1,
    steps: state.steps,
    reason: state.reason,
    ...(decision.kind === 'sync' ? { started: decision.start.map((target) => targetId(target.app, target.cluster)) } : {}),
  });
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
