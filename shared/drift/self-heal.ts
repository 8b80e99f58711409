// Self-heal: a drifted target with `selfHeal` on gets a sync of the revision it is already
// on. A controller fighting Driftless (an operator, an HPA not listed in ignoreDifferences)
// would otherwise make every scan a sync, so consecutive heals back off exponentially:
// 1, 2, 4, 8, 16, 32 minutes, then at most one an hour, reset by a scan that finds no drift.
// Bound: at most 7 heals in the first ~2 hours of a fight and 1 per hour after that, per target.
import type { SyncJob } from '../queue/job.ts';
import type { JobQueue } from '../queue/queue.ts';
import type { StateStore } from '../state/store.ts';
import type { TargetFields, TargetState } from '../state/types.ts';

export const SELF_HEAL_BASE_DELAY_MS = 60_000;
export const SELF_HEAL_MAX_DELAY_MS = 60 * 60_000;

/** Wait after the `attempts`-th consecutive heal (1-based) before the next may start. */
export function selfHealDelayMs(attempts: number): number {
  return Math.min(SELF_HEAL_BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), SELF_HEAL_MAX_DELAY_MS);
}

export type HealDecision =
  | { action: 'heal'; fields: Pick<TargetFields, 'selfHealAttempts' | 'nextSelfHealAt'> }
  | { action: 'wait'; until: string }
  /** A newer commit is requested (its sync is queued or failing): healing to the old one would undo it. */
  | { action: 'newer-revision-pending'; requestedRevision: string };

export function decideHeal(target: TargetState, now: Date): HealDecision {
  if (target.requestedRevision && target.requestedRevision !== target.revision) {
    return { action: 'newer-revision-pending', requestedRevision: target.requestedRevision };
  }
  if (target.nextSelfHealAt && Date.parse(target.nextSelfHealAt) > now.getTime()) return { action: 'wait', until: target.nextSelfHealAt };
  const attempts = (target.selfHealAttempts ?? 0) + 1;
  return { action: 'heal', fields: { selfHealAttempts: attempts, nextSelfHealAt: new Date(now.getTime() + selfHealDelayMs(attempts)).toISOString() } };
}

/** Requests the sync first (the worker only proceeds for the requested revision), then enqueues it. */
export async function enqueueHeal(deps: { store: StateStore; queue: JobQueue }, target: { app: string; cluster: string }, revision: string, now: Date): Promise<SyncJob> {
  const job: SyncJob = { kind: 'sync', app: target.app, cluster: target.cluster, revision, trigger: 'self-heal', enqueuedAt: now.toISOString() };
  await deps.store.requestSync(target, revision);
  await deps.queue.enqueue([job]);
  return job;
}
