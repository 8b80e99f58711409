// What one target's history means in DORA's terms (the four keys of "Accelerate" and Google's
// DORA reports): deployments, their failures, when they reached Synced + Healthy, and the
// failures that were restored. Pure: the CLI sums these over a window (metrics.ts), the worker
// emits those its newest sync caused (signals.ts).
//
// What counts, per target (one app on one cluster):
// - A deployment is the first sync of a revision new to the target: a push, a config change, a
//   missed push or a manual sync to another commit. A retry or resync of the revision in effect
//   is not one, nor is a self-heal (it puts back the revision already there), a rollback (the
//   remedy of a failed deployment) or a `driftless restore` entry (the table rebuilt).
// - A deployment succeeds when a sync of its revision ends Synced and Healthy, possibly after
//   retries; lead time runs from its commit time (the push's head commit) to that moment.
// - A deployment fails when a sync of its revision (but a self-heal) ends Failed or Degraded
//   while it is in effect, or when a rollback replaces it. It counts once.
// - The target is failing from a sync that ends Failed or Degraded (any trigger) until the next
//   Synced + Healthy sync of any revision: that span is a time to restore. A rolled-back
//   deployment that never failed a sync was bad from its own sync until the rollback's.
import type { HistoryEntry } from '../state/types.ts';

/** The fields of a history entry the metrics read. */
export type DoraEntry = Pick<HistoryEntry, 'revision' | 'status' | 'health' | 'finishedAt' | 'reason' | 'committedAt'>;

/** Epoch milliseconds; `entry` is the index, in the input, of the entry that caused the event. */
export type DoraEvent = { entry: number; at: number } & (
  | { kind: 'deployment'; revision: string }
  | { kind: 'deployed'; revision: string; leadTimeSeconds?: number }
  | { kind: 'change-failure'; revision: string; deploymentAt: number }
  | { kind: 'restored'; seconds: number }
);

export interface TargetEvents {
  events: DoraEvent[];
  /** When the target started failing, if its newest sync left it failing. */
  failingSince?: number;
}

/** Triggers that never make a deployment (see above); `restored` is shared/restore's history reason. */
const NOT_A_CHANGE = new Set(['self-heal', 'rollback', 'restored']);

interface Deployment {
  revision: string;
  at: number;
  committedAt?: string;
  failed: boolean;
  deployed: boolean;
}

/**
 * Where one target's history leaves the reading above: all targetEvents keeps between two
 * entries. Small and plain (JSON), so the store can keep it on the target and a sync's
 * signals need no read of the history (signals.ts).
 */
export interface DoraState {
  /** The deployment in effect, if any. */
  current?: Deployment;
  /** The revision in effect when no deployment is (before the first, after a rollback or restore). */
  baseline?: string;
  /** When the target started failing, if it is failing. */
  failingSince?: number;
}

export function targetEvents(entries: readonly DoraEntry[]): TargetEvents {
  const order = entries.map((entry, index) => ({ entry, index, at: Date.parse(entry.finishedAt) })).sort((a, b) => a.at - b.at || a.index - b.index);
  const events: DoraEvent[] = [];
  let state: DoraState = {};
  for (const { entry, index } of order) state = stepDora(state, entry, index, events);
  return { events, ...(state.failingSince === undefined ? {} : { failingSince: state.failingSince }) };
}

/** The state after `entries` (any order: read by finish time, as targetEvents reads them). */
export function foldDora(entries: readonly DoraEntry[]): DoraState {
  const order = entries.map((entry, index) => ({ entry, index, at: Date.parse(entry.finishedAt) })).sort((a, b) => a.at - b.at || a.index - b.index);
  let state: DoraState = {};
  for (const { entry, index } of order) state = stepDora(state, entry, index, []);
  return state;
}

/** Reads one more entry (the newest) after `before`: the state it leaves; its events are pushed to `events` with `index`. */
export function stepDora(before: DoraState, entry: DoraEntry, index: number, events: DoraEvent[]): DoraState {
  const at = Date.parse(entry.finishedAt);
  let current = before.current && { ...before.current };
  let baseline = before.baseline;
  let failingSince = before.failingSince;
  const inEffect = current?.revision ?? baseline;
  const reason = entry.reason ?? '';
  if (reason === 'restored') {
    // The state was rebuilt from Git and the cluster: a new starting point, not an outcome.
    return stateOf(undefined, entry.revision, failingSince);
  }
  if (entry.revision !== inEffect) {
    if (reason === 'rollback') {
      if (current && !current.failed) {
        current.failed = true;
        events.push({ kind: 'change-failure', entry: index, at, revision: current.revision, deploymentAt: current.at });
        failingSince ??= current.at;
      }
      current = undefined;
      baseline = entry.revision;
    } else if (!NOT_A_CHANGE.has(reason)) {
      current = { revision: entry.revision, at, failed: false, deployed: false };
      events.push({ kind: 'deployment', entry: index, at, revision: entry.revision });
    } else if (inEffect === undefined) {
      baseline = entry.revision;
    }
  }
  const ofCurrent = current !== undefined && entry.revision === current.revision;
  if (current && ofCurrent) current.committedAt ??= entry.committedAt;

  if (entry.status === 'Failed' || entry.health === 'Degraded') {
    if (current && ofCurrent && reason !== 'self-heal' && !current.failed) {
      current.failed = true;
      events.push({ kind: 'change-failure', entry: index, at, revision: current.revision, deploymentAt: current.at });
    }
    failingSince ??= at;
  } else if (entry.status === 'Synced' && entry.health === 'Healthy') {
    if (failingSince !== undefined) {
      events.push({ kind: 'restored', entry: index, at, seconds: (at - failingSince) / 1000 });
      failingSince = undefined;
    }
    if (current && ofCurrent && !current.deployed) {
      current.deployed = true;
      const committed = current.committedAt ? Date.parse(current.committedAt) : NaN;
      // A committer's clock ahead of ours would make it negative: it was no slower than instant.
      const leadTimeSeconds = Number.isNaN(committed) ? undefined : Math.max(0, (at - committed) / 1000);
      events.push({ kind: 'deployed', entry: index, at, revision: current.revision, ...(leadTimeSeconds === undefined ? {} : { leadTimeSeconds }) });
    }
  }
  return stateOf(current, baseline, failingSince);
}

/** Without undefined members: the state is stored as it is, and compared. */
function stateOf(current: Deployment | undefined, baseline: string | undefined, failingSince: number | undefined): DoraState {
  const state: DoraState = {};
  if (current) {
    const { committedAt, ...rest } = current;
    state.current = committedAt === undefined ? rest : { ...rest, committedAt };
  }
  if (baseline !== undefined) state.baseline = baseline;
  if (failingSince !== undefined) state.failingSince = failingSince;
  return state;
}
