// The `rollout` job: one step of an ApplicationSet's RollingSync rollout (the rule is
// shared/rollout/decide.ts), read top to bottom:
//   timer wait → the set and its rollout → start (supersede, carry) or drop a superseded job →
//   for the current step: read its targets → decide → start syncs | wait | gate | halt | next step.
// Event-driven: every sync the rollout starts tells it when it ends (finish.ts → notifyRollout),
// a gate's wait is a timer message in a FIFO group of its own, and nothing sleeps in the set's group,
// so a newer push's start gets through at once. Only the current step's targets are read on a
// step (one batched read); the whole set only at a rollout's start and when the pending
// targets' commit statuses change (a new step, a gate, a halt, an abort).
import type { RollingSyncStep } from '../appset/types.ts';
import { revisionRepoURL } from '../config/app-sources.ts';
import { tracksBranch } from '../config/match.ts';
import { sameRepo } from '../config/repo-url.ts';
import type { Registry } from '../config/types.ts';
import type { DetailType } from '../events/event.ts';
import type { CommitState } from '../github/status.ts';
import { rolloutId, SYNC_TRIGGERS, targetId, type RolloutJob, type SyncJob, type SyncTrigger } from '../queue/job.ts';
import { alarmReaderFor } from '../rollout/alarms.ts';
import { decideStep, duration, phaseOf, type StepDecision, type StepTarget } from '../rollout/decide.ts';
import { rollingSets, setTargets, stepLabel, type RollingSet, type SetTarget } from '../rollout/steps.ts';
import type { RolloutState } from '../rollout/types.ts';
import type { TargetState } from '../state/types.ts';
import type { JobContext, WorkerDependencies } from './dependencies.ts';
import { NotDueYetError, RetryableJobError } from './errors.ts';
import { supersededStatus } from './policy/superseded.ts';
import { emit, postStatus } from './report.ts';

export type RolloutOutcome = 'rollout' | 'skipped';

/** A timer message is held back by its visibility timeout at most this long a receive (the worker's backoff caps it there too). */
export const TIMER_HOP_SECONDS = 15 * 60;
/** Commit statuses posted at once for a set's pending targets. */
const STATUS_CONCURRENCY = 8;
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
 * A wake-up `inMs` from now, unless an earlier one is on its way (its step sends the next one
 * when still needed): a timer message in the set's timer group, delayed by its visibility.
 */
async function wakeUp(state: RolloutState, inMs: number, now: Date, deps: WorkerDependencies): Promise<RolloutState> {
  const due = now.getTime() + inMs;
  if (state.wakeAt !== undefined && Date.parse(state.wakeAt) > now.getTime() && Date.parse(state.wakeAt) <= due) return state;
  const dueAt = new Date(due).toISOString();
  const timer: RolloutJob = {
    kind: 'rollout',
    set: state.set,
    id: state.id,
    reason: 'timer',
    trigger: syncTrigger(state.trigger),
    enqueuedAt: now.toISOString(),
    dueAt,
  };
  await deps.queue.enqueue([timer]);
  return { ...state, wakeAt: dueAt };
}

/**
 * A timer in a group of its own: not due yet, it goes back to the queue for at most TIMER_HOP_SECONDS
 * (a fresh message before this one runs out of receives); due, it sends the step to the set's
 * group. A timer of a superseded or ended rollout is dropped.
 */
async function waitForTimer(job: RolloutJob & { dueAt: string }, context: JobContext, deps: WorkerDependencies): Promise<RolloutOutcome> {
  const state = await deps.store.getRollout(job.set);
  if (!state || state.id !== job.id || state.status === 'done' || state.status === 'halted' || state.status === 'aborted') {
    deps.logger.info('rollout timer of a superseded or ended rollout; dropped', {
      applicationSet: job.set,
      id: job.id,
      current: state?.id,
      status: state?.status,
    });
    return 'skipped';
  }
  const now = deps.now?.() ?? new Date();
  const left = Date.parse(job.dueAt) - now.getTime();
  if (left <= 0) {
    const { dueAt: _dueAt, hop: _hop, ...stepJob } = job;
    await deps.queue.enqueue([{ ...stepJob, enqueuedAt: now.toISOString() }]);
    return 'rollout';
  }
  if (context.receiveCount >= deps.maxReceiveCount - 1) {
    await deps.queue.enqueue([{ ...job, hop: (job.hop ?? 0) + 1, enqueuedAt: now.toISOString() }]);
    return 'rollout';
  }
  throw new NotDueYetError(`${rolloutId(job.set)} timer due in ${duration(left)}`, {
    retryAfterSeconds: Math.max(1, Math.min(TIMER_HOP_SECONDS, Math.ceil(left / 1000))),
  });
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

/**
 * Every target of the rollout not started yet says where the rollout is: waiting (for its step,
 * or its turn in the current one), or — halted or aborted — that it was not applied and why.
 */
async function reportPending(state: RolloutState, set: RollingSet, registry: Registry, deps: WorkerDependencies): Promise<void> {
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
async function reportSuperseded(targets: SetTarget[], states: Map<string, TargetState>, id: string, deps: WorkerDependencies): Promise<void> {
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
async function reportUnselected(set: RollingSet, targets: SetTarget[], states: Map<string, TargetState>, id: string, deps: WorkerDependencies): Promise<void> {
  const left = targets.filter((target) => target.step === undefined && states.get(targetId(target.app, target.cluster))?.rollout?.id === id);
  await inBatches(left, STATUS_CONCURRENCY, async (target) => {
    const message = `left out of the rollout of ApplicationSet ${set.name}: no RollingSync step selects its labels; sync it by hand (driftless sync ${target.app})`;
    await deps.store.putTargetState({ app: target.app, cluster: target.cluster, message });
    const revision = states.get(targetId(target.app, target.cluster))?.rollout?.revision ?? id;
    const report = { app: target.app, cluster: target.cluster, repoURL: revisionRepoURL(target.spec, deps.configRepo?.repoURL), revision };
    await postStatus(deps, report, 'pending', message, states.get(targetId(target.app, target.cluster)));
  });
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

/** Not started by the rollout yet: waiting for its step or its turn, or held (suspended, pinned). */
function notStarted(target: StepTarget): boolean {
  const phase = phaseOf(target);
  return phase === 'not-started' || phase === 'held';
}

/** The trigger the rollout's syncs carry: the one its start job had (a push, a config change, a missed push). */
function syncTrigger(trigger: string): SyncTrigger {
  return (SYNC_TRIGGERS as readonly string[]).includes(trigger) ? (trigger as SyncTrigger) : 'push';
}

async function inBatches<T>(items: T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(each));
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
