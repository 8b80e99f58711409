// Sync windows, as Argo CD decides them (SyncWindows.Matches and CanSync in its AppProject
// types), for one app on one cluster at one instant:
//   - the windows that apply are those whose applications, namespaces or clusters globs match
//     the app name, its destination namespace, or the cluster's name or server URL (any one
//     list; every list written with `andOperator`);
//   - none apply: always;
//   - an active deny window: no automated sync; a manual one only when every active deny
//     window has `manualSync`;
//   - else an active allow window: yes;
//   - else allow windows apply but none is active: no automated sync; a manual one only when
//     every such allow window has `manualSync`;
//   - else (only inactive deny windows): yes.
// A window is active from each start of its schedule for its duration: [start, start +
// duration). Argo CD leaves out the instant of the start itself (it asks for a start strictly
// between now − duration and now); counting it in means "opens at T" is true at T.
//
// What the worker does with the answer: an automated sync held back waits until the first
// instant it would be allowed (`opensAt`), found by walking the windows' starts and ends; a
// manual one (`driftless sync`, a rollback) is refused, as Argo CD refuses it. A continuation
// of a sync under way is never asked about: it applies nothing new, and a sync that started
// is let finish (Argo CD's `syncOverrun`, always on).
import type { SyncWindowSpec } from '../../config/types.ts';
import { globMatch } from '../../project/destinations.ts';
import { nextStart } from '../../project/window-schedule.ts';
import { AUTOMATED_TRIGGERS, type SyncTrigger } from '../../queue/job.ts';

export interface WindowTarget {
  app: string;
  namespace: string;
  cluster: { name: string; server?: string };
}

export type SyncWindowDecision =
  | { action: 'sync' }
  /** An automated sync: it may run from `opensAt` (absent when no opening was found within the search). */
  | { action: 'wait'; window: string; opensAt?: Date; message: string }
  /** A manual sync the windows do not let through. */
  | { action: 'refuse'; window: string; message: string };

/**
 * How far ahead an opening is looked for: five years, as far as robfig/cron looks for a next
 * start (a `29 2` schedule), and at most so many window starts and ends (a deny window that
 * never closes, `* * * * *` for 1h, stops there).
 */
const SEARCH_HORIZON_MS = 5 * 366 * 24 * 3_600_000;
const MAX_BOUNDARIES = 5_000;

export function decideSyncWindow(windows: readonly SyncWindowSpec[], target: WindowTarget, trigger: SyncTrigger, now: Date): SyncWindowDecision {
  const applying = windows.filter((window) => windowMatches(window, target));
  if (applying.length === 0) return { action: 'sync' };
  // Triggers a person asked for (not the automated policy's): `manualSync` lets these through.
  const manual = !AUTOMATED_TRIGGERS.has(trigger);
  const verdict = verdictAt(applying, now);
  if (verdict.allowed || (manual && verdict.manualAllowed)) return { action: 'sync' };
  if (manual) {
    const window = windowName(verdict.blocking);
    const why =
      verdict.blocking.kind === 'deny'
        ? `the sync window ${window} denies syncs now`
        : `syncs may run only inside the sync window ${window}, which is closed now`;
    return { action: 'refuse', window, message: `manual sync refused: ${why}, and it does not allow manual syncs (manualSync is off)` };
  }
  const opening = nextOpening(applying, now);
  if ('searchedUntil' in opening) {
    const window = windowName(verdict.blocking);
    return { action: 'wait', window, message: `waiting for the sync window ${window}, which does not open before ${formatInstant(opening.searchedUntil)}` };
  }
  const window = windowName(opening.opens);
  return { action: 'wait', window, opensAt: opening.at, message: `waiting for the sync window ${window}, opens at ${formatInstant(opening.at)}` };
}

/** Which windows apply to the target (Argo CD's Matches). */
function windowMatches(window: SyncWindowSpec, target: WindowTarget): boolean {
  const checks: boolean[] = [];
  if (window.applications.length > 0) checks.push(window.applications.some((pattern) => globMatch(pattern, target.app)));
  if (window.namespaces.length > 0) checks.push(window.namespaces.some((pattern) => globMatch(pattern, target.namespace)));
  if (window.clusters.length > 0) {
    const { name, server } = target.cluster;
    checks.push(window.clusters.some((pattern) => globMatch(pattern, name) || (server !== undefined && globMatch(pattern, server))));
  }
  if (checks.length === 0) return false;
  return window.andOperator ? checks.every(Boolean) : checks.some(Boolean);
}

/** The occurrence of `window` that covers `at`, if any: the earliest start in (at − duration, at]. */
function activeOccurrence(window: SyncWindowSpec, at: Date): { start: Date; end: Date } | undefined {
  const start = nextStart(window.schedule, window.timeZone, new Date(at.getTime() - window.durationMs));
  if (!start || start.getTime() > at.getTime()) return undefined;
  return { start, end: new Date(start.getTime() + window.durationMs) };
}

/** A name for messages: the description, or what the window is. */
function windowName(window: SyncWindowSpec): string {
  if (window.description) return window.description;
  const zone = window.timeZone === 'UTC' ? '' : ` ${window.timeZone}`;
  return `${window.kind} '${window.schedule}' ${window.duration}${zone}`;
}

interface Verdict {
  /** An automated sync may run. */
  allowed: boolean;
  /** A manual sync may run. */
  manualAllowed: boolean;
  /** What holds syncs back when not allowed: an active deny window, else an inactive allow window. */
  blocking: SyncWindowSpec;
}

function verdictAt(windows: readonly SyncWindowSpec[], at: Date): Verdict {
  const active = windows.filter((window) => activeOccurrence(window, at) !== undefined);
  const activeDenies = active.filter((window) => window.kind === 'deny');
  if (activeDenies.length > 0) return holding(activeDenies);
  if (active.some((window) => window.kind === 'allow')) return { allowed: true, manualAllowed: true, blocking: active[0] };
  const inactiveAllows = windows.filter((window) => window.kind === 'allow');
  if (inactiveAllows.length > 0) return holding(inactiveAllows);
  return { allowed: true, manualAllowed: true, blocking: windows[0] };
}

/** Held back by these windows; the one named is one that refuses manual syncs, if any does. */
function holding(windows: SyncWindowSpec[]): Verdict {
  const refusing = windows.find((window) => !window.manualSync);
  return { allowed: false, manualAllowed: refusing === undefined, blocking: refusing ?? windows[0] };
}

/**
 * The first instant after `now` at which an automated sync is allowed, and the allow window
 * that opens then (or the deny window that closed). The answer changes only where a window
 * starts or ends, so those instants are visited in order.
 */
function nextOpening(windows: readonly SyncWindowSpec[], now: Date): { at: Date; opens: SyncWindowSpec } | { searchedUntil: Date } {
  const horizon = now.getTime() + SEARCH_HORIZON_MS;
  let at = now;
  for (let step = 0; step < MAX_BOUNDARIES; step++) {
    const boundary = nextBoundary(windows, at);
    if (!boundary || boundary.getTime() > horizon) return { searchedUntil: new Date(horizon) };
    const verdict = verdictAt(windows, boundary);
    if (verdict.allowed) {
      const opened = windows.find((window) => window.kind === 'allow' && activeOccurrence(window, boundary)?.start.getTime() === boundary.getTime());
      const closed = windows.find((window) => window.kind === 'deny' && activeOccurrence(window, at) !== undefined);
      return { at: boundary, opens: opened ?? closed ?? verdict.blocking };
    }
    at = boundary;
  }
  return { searchedUntil: at };
}

/** The first start or end of any window strictly after `at`. */
function nextBoundary(windows: readonly SyncWindowSpec[], at: Date): Date | undefined {
  let earliest: number | undefined;
  for (const window of windows) {
    const covering = activeOccurrence(window, at);
    const candidates = [covering?.end.getTime(), nextStart(window.schedule, window.timeZone, at)?.getTime()];
    for (const candidate of candidates) {
      if (candidate !== undefined && candidate > at.getTime() && (earliest === undefined || candidate < earliest)) earliest = candidate;
    }
  }
  return earliest === undefined ? undefined : new Date(earliest);
}

/** `2025-06-01T02:10:00Z`: UTC, to the second, as the status and the log read it. */
function formatInstant(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
