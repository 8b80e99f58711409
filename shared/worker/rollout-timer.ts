// A rollout's gates wait on timers (rollout-job.ts): SQS FIFO has no per-message delay, so a
// wake-up is a `rollout` message with `dueAt` in a FIFO group of its own, held back by its
// visibility timeout until due (at most TIMER_HOP_SECONDS a receive, a fresh message before it
// runs out of receives), which then sends the step to the set's group. Nothing sleeps in the set's
// group, so a newer push's rollout gets through at once.
import { rolloutId, SYNC_TRIGGERS, type RolloutJob, type SyncTrigger } from '../queue/job.ts';
import { duration } from '../rollout/decide.ts';
import type { RolloutState } from '../rollout/types.ts';
import type { JobContext, WorkerDependencies } from './dependencies.ts';
import { NotDueYetError } from './errors.ts';

export type TimerOutcome = 'rollout' | 'skipped';

/** A timer message is held back by its visibility timeout at most this long a receive (the worker's backoff caps it there too). */
export const TIMER_HOP_SECONDS = 15 * 60;

/**
 * A wake-up `inMs` from now, unless an earlier one is on its way (its step sends the next one
 * when still needed): a timer message in the set's timer group, delayed by its visibility.
 */
export async function wakeUp(state: RolloutState, inMs: number, now: Date, deps: WorkerDependencies): Promise<RolloutState> {
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
export async function waitForTimer(job: RolloutJob & { dueAt: string }, context: JobContext, deps: WorkerDependencies): Promise<TimerOutcome> {
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

/** The trigger the rollout's syncs carry: the one its start job had (a push, a config change, a missed push). */
export function syncTrigger(trigger: string): SyncTrigger {
  return (SYNC_TRIGGERS as readonly string[]).includes(trigger) ? (trigger as SyncTrigger) : 'push';
}
