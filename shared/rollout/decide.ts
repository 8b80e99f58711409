// One step of a rollout, decided: what the step's targets' recorded states (and, at its alarm
// gate, the alarms' states) mean for the rollout. Pure; shared/worker/rollout-job.ts reads the
// inputs and carries the answer out.
//
// A target is done only when it is Synced and Healthy at ITS rollout commit: a target Healthy at
// an older commit is not (Argo CD #29410 completed steps on stale status). One that failed to
// sync, or is Degraded, at that commit halts the rollout (later steps are never touched). At most
// `maxUpdate` of the step's targets are under way at once. Once every target is done the step's
// gates run, in order: the soak (every target stays Healthy for `soakMs` from `healthySince`;
// one that turns Degraded meanwhile halts, one that is merely not Healthy — Progressing after a
// restart, OutOfSync — starts the soak over once it is Healthy again, as a Flagger analysis
// counts a failed check and an Argo Rollouts pause holds), then the alarms (OK passes, ALARM
// halts, INSUFFICIENT_DATA waits and is checked again, an alarm CloudWatch does not know halts).
// A person's promote skips the step's gates, never its health.
import type { RollingSyncStep } from '../appset/types.ts';
import { targetId } from '../queue/job.ts';
import type { TargetState } from '../state/types.ts';
import type { RolloutState } from './types.ts';
import { maxUpdateOf } from './steps.ts';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface StepTarget {
  app: string;
  cluster: string;
  /** The commit the target is to be at in this rollout (its mark's). */
  revision: string;
  state?: Pick<TargetState, 'requestedRevision' | 'requestSeq' | 'appliedSeq' | 'revision' | 'syncStatus' | 'health' | 'suspended' | 'pinnedRevision'>;
}

export interface StepInput {
  state: Pick<RolloutState, 'step' | 'healthySince' | 'promoted'>;
  step: RollingSyncStep;
  /** The step's targets that take part in this rollout. */
  targets: StepTarget[];
  now: Date;
  /** The step's alarms as CloudWatch answered (undefined: not asked yet; a name missing from the map: CloudWatch has no such alarm). */
  alarms?: Map<string, AlarmState>;
}

/** How long a wait that no sync's end will end is checked again: for health, a manual sync, an alarm. */
export const RECHECK_MS = 30_000;
/** While syncs are under way their ends wake the rollout; this is the safety net, should one never report. */
export const SAFETY_RECHECK_MS = 120_000;

export type StepDecision =
  /** Start `start` now (possibly none) and wait for the step's targets under way; check again after `recheckMs`. */
  | { kind: 'sync'; start: StepTarget[]; underWay: StepTarget[]; recheckMs: number; reason: string }
  /** Every target is done; a gate holds the step: `healthySince` to record, a wake-up after `wakeInMs`. */
  | { kind: 'gate'; reason: string; healthySince: string; wakeInMs: number }
  /** Every target is done and Healthy and the gates are passed (or promoted): the next step may start. */
  | { kind: 'next' }
  /** The step's alarms must be read before the gate can be decided. */
  | { kind: 'read-alarms'; names: string[]; healthySince: string }
  | { kind: 'halt'; reason: string; by?: StepTarget };

type Phase = 'done' | 'failed' | 'degraded' | 'under-way' | 'settled' | 'held' | 'not-started';

export function phaseOf(target: StepTarget): Phase {
  const state = target.state;
  if (state?.revision === target.revision && state.syncStatus === 'Synced' && state.health === 'Healthy') return 'done';
  if (state?.requestedRevision !== target.revision) return state?.suspended || state?.pinnedRevision ? 'held' : 'not-started';
  // The newest request's result is recorded: what the target says now is about this commit.
  const resulted = state.appliedSeq !== undefined && state.appliedSeq === state.requestSeq;
  if (!resulted) return 'under-way';
  if (state.syncStatus === 'Failed') return 'failed';
  if (state.revision === target.revision && state.health === 'Degraded') return 'degraded';
  return 'settled';
}

export function decideStep(input: StepInput): StepDecision {
  const { targets, step, now } = input;
  // No app of the step changed: nothing to sync, nothing to soak or watch.
  if (targets.length === 0) return { kind: 'next' };
  const phases = targets.map((target) => ({ target, phase: phaseOf(target) }));
  const stopped = phases.find(({ phase }) => phase === 'failed' || phase === 'degraded');
  if (stopped) {
    const what = stopped.phase === 'failed' ? 'failed to sync' : 'is Degraded';
    return { kind: 'halt', by: stopped.target, reason: `${targetId(stopped.target.app, stopped.target.cluster)} ${what} at ${short(stopped.target.revision)}` };
  }
  const open = phases.filter(({ phase }) => phase !== 'done');
  if (open.length > 0) {
    const underWay = open.filter(({ phase }) => phase === 'under-way' || phase === 'settled').map(({ target }) => target);
    const waiting = open.filter(({ phase }) => phase === 'not-started').map(({ target }) => target);
    // A suspended or pinned target is never started by the rollout: the step waits for it to be resumed.
    const held = open.filter(({ phase }) => phase === 'held').map(({ target }) => targetId(target.app, target.cluster));
    const room = Math.max(0, maxUpdateOf(step, targets.length) - underWay.length);
    const start = waiting.slice(0, room);
    const syncing = open.some(({ phase }) => phase === 'under-way') || start.length > 0;
    const done = targets.length - open.length;
    const reason =
      held.length > 0
        ? `${held.join(', ')} suspended or pinned: the step waits for driftless resume`
        : waiting.length > 0 && room === 0 && underWay.length === 0
          ? `${waiting.length} target(s) wait to be synced by hand (maxUpdate ${String(step.maxUpdate)})`
          : `${done} of ${targets.length} Synced and Healthy`;
    return { kind: 'sync', start, underWay, recheckMs: syncing ? SAFETY_RECHECK_MS : RECHECK_MS, reason };
  }
  // Every target is Synced and Healthy at its commit: the gates.
  const healthySince = input.state.healthySince ?? now.toISOString();
  if (input.state.promoted === input.state.step) return { kind: 'next' };
  if (step.soakMs !== undefined && step.soakMs > 0) {
    const left = Date.parse(healthySince) + step.soakMs - now.getTime();
    if (left > 0) return { kind: 'gate', reason: `soak: ${duration(left)} left`, healthySince, wakeInMs: left };
  }
  const names = step.alarms ?? [];
  if (names.length === 0) return { kind: 'next' };
  if (!input.alarms) return { kind: 'read-alarms', names, healthySince };
  for (const name of names) {
    const alarm = input.alarms.get(name);
    if (alarm === undefined) return { kind: 'halt', reason: `alarm ${name} does not exist (CloudWatch knows no alarm of that name)` };
    if (alarm === 'ALARM') return { kind: 'halt', reason: `alarm ${name} is ALARM` };
  }
  const insufficient = names.filter((name) => input.alarms?.get(name) === 'INSUFFICIENT_DATA');
  if (insufficient.length > 0) return { kind: 'gate', reason: `alarm ${insufficient.join(', ')} is INSUFFICIENT_DATA`, healthySince, wakeInMs: RECHECK_MS };
  return { kind: 'next' };
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

/** `4m 10s`, `1h 2m`, `12s`. */
export function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}
