// What one finished sync adds to the four keys, for the worker to emit as metrics: the events
// (events.ts) its entry caused, read against the target's earlier history — or against the
// state that history left (DoraState, kept on the target by the store), which needs no read of it.
import { foldDora, stepDora, type DoraEntry, type DoraEvent, type DoraState } from './events.ts';

export interface DoraSignals {
  /** The sync was a deployment (the first of a new revision), whatever its outcome. */
  deployment: boolean;
  /** It made its deployment a failed one (a failed or degraded sync, or a rollback of it). */
  changeFailure: boolean;
  /** It brought a deployment to Synced + Healthy for the first time, this long after its commit. */
  leadTimeSeconds?: number;
  /** It ended a failure, this long after it began. */
  timeToRestoreSeconds?: number;
}

/** `earlier` in any order (the store lists newest first); `latest` is the sync just finished. */
export function signalsOf(earlier: readonly DoraEntry[], latest: DoraEntry): DoraSignals {
  return signalsAfter(foldDora(earlier), latest).signals;
}

/** The signals of `latest` read after the state `before`, and the state it leaves. */
export function signalsAfter(before: DoraState, latest: DoraEntry): { signals: DoraSignals; state: DoraState } {
  const events: DoraEvent[] = [];
  const state = stepDora(before, latest, 0, events);
  const signals: DoraSignals = { deployment: false, changeFailure: false };
  for (const event of events) {
    if (event.kind === 'deployment') signals.deployment = true;
    if (event.kind === 'change-failure') signals.changeFailure = true;
    if (event.kind === 'deployed' && event.leadTimeSeconds !== undefined) signals.leadTimeSeconds = event.leadTimeSeconds;
    if (event.kind === 'restored') signals.timeToRestoreSeconds = event.seconds;
  }
  return { signals, state };
}

/** True when there is anything to emit. */
export function anySignal(signals: DoraSignals): boolean {
  return signals.deployment || signals.changeFailure || signals.leadTimeSeconds !== undefined || signals.timeToRestoreSeconds !== undefined;
}
