// The four keys over a window, from the events of one or more targets (events.ts says what
// counts as a deployment, a failure and a restore). Summing events rather than per-target
// figures lets a median of an app or an environment be the median of all its samples.
import { targetEvents, type DoraEntry, type DoraEvent, type TargetEvents } from './events.ts';

export const DEFAULT_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export interface Window {
  /** Epoch milliseconds, both ends included. */
  since: number;
  until: number;
}

export interface DoraFigures {
  /** Deployments that started in the window (first sync of a new revision), failed ones included. */
  deployments: number;
  /** Deployments that reached Synced + Healthy in the window. */
  successfulDeployments: number;
  /** Of `deployments`, those that failed or were rolled back. */
  failedDeployments: number;
  /** Deployment frequency: successful deployments per day of the window. */
  deploymentsPerDay: number;
  /** Commit time → Synced + Healthy, over successful deployments whose commit time is known. */
  leadTimeSeconds: { median: number | null; p90: number | null; samples: number };
  /** failedDeployments ÷ deployments; null without deployments. */
  changeFailureRate: number | null;
  /** Failing → next Synced + Healthy, over restores in the window. */
  timeToRestoreSeconds: { median: number | null; samples: number };
  /** Targets whose newest sync left them failing (not restored yet). */
  unrestored: number;
}

/** The window of `days` days that ends at `now`. */
export function windowOf(now: number, days = DEFAULT_WINDOW_DAYS): Window {
  return { since: now - days * DAY_MS, until: now };
}

/** Figures of one target's history. */
export function doraFigures(entries: readonly DoraEntry[], window: Window): DoraFigures {
  return figuresOf([targetEvents(entries)], window);
}

/** Figures of several targets taken together (an app on all its clusters, an environment). */
export function figuresOf(targets: readonly TargetEvents[], window: Window): DoraFigures {
  const within = (at: number) => at >= window.since && at <= window.until;
  const events = targets.flatMap((target) => target.events);
  const of = <K extends DoraEvent['kind']>(kind: K) => events.filter((event): event is Extract<DoraEvent, { kind: K }> => event.kind === kind);

  const deployments = of('deployment').filter((event) => within(event.at)).length;
  const deployed = of('deployed').filter((event) => within(event.at));
  // A failure belongs to its deployment's window, so the rate compares like with like.
  const failedDeployments = of('change-failure').filter((event) => within(event.deploymentAt)).length;
  const leadTimes = deployed.flatMap((event) => (event.leadTimeSeconds === undefined ? [] : [event.leadTimeSeconds]));
  const restores = of('restored')
    .filter((event) => within(event.at))
    .map((event) => event.seconds);
  const days = (window.until - window.since) / DAY_MS;
  return {
    deployments,
    successfulDeployments: deployed.length,
    failedDeployments,
    deploymentsPerDay: days > 0 ? deployed.length / days : 0,
    leadTimeSeconds: { median: median(leadTimes), p90: percentile(leadTimes, 90), samples: leadTimes.length },
    changeFailureRate: deployments > 0 ? failedDeployments / deployments : null,
    timeToRestoreSeconds: { median: median(restores), samples: restores.length },
    unrestored: targets.filter((target) => target.failingSince !== undefined).length,
  };
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}
