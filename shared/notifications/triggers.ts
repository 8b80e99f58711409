// Which triggers fire, as Argo CD's catalog defines them, from what just happened and what was
// already notified for the target. Pure: the caller keeps `notified` on the target's state.
//
//   on-sync-succeeded   every sync that ends Succeeded
//   on-sync-failed      every sync that ends Failed (a retried attempt is not an ending)
//   on-deployed         Succeeded and Healthy, once per commit (Argo CD's oncePer revision): a
//                       resync or a self-heal of the same commit does not notify again
//   on-health-degraded  health turns Degraded; again only after it was something else in between
//   on-drift            a Drift Detected (the scan announces only new drift, not a repeat)
import type { HealthStatus } from '../state/types.ts';
import type { TriggerName } from './types.ts';

export type NotifyFact = { kind: 'sync-ended'; succeeded: boolean; revision: string; health?: HealthStatus } | { kind: 'drift-detected' };

/** Trigger → the value it was last notified for (the commit for on-deployed; a marker for on-health-degraded). */
export type Notified = Partial<Record<TriggerName, string>>;

export interface Firing {
  fired: TriggerName[];
  /** What to keep on the target; equal to the input when nothing changed. */
  notified: Notified;
  changed: boolean;
}

export function firedTriggers(fact: NotifyFact, notified: Notified = {}): Firing {
  if (fact.kind === 'drift-detected') return { fired: ['on-drift'], notified, changed: false };
  const fired: TriggerName[] = [];
  const next: Notified = { ...notified };
  fired.push(fact.succeeded ? 'on-sync-succeeded' : 'on-sync-failed');
  if (fact.succeeded && fact.health === 'Healthy' && notified['on-deployed'] !== fact.revision) {
    fired.push('on-deployed');
    next['on-deployed'] = fact.revision;
  }
  if (fact.health === 'Degraded') {
    if (notified['on-health-degraded'] === undefined) {
      fired.push('on-health-degraded');
      next['on-health-degraded'] = fact.revision;
    }
  } else if (fact.health !== undefined && fact.health !== 'Unknown') {
    // Known and not Degraded: the next Degraded is news again. Unknown (nothing was read) says nothing.
    delete next['on-health-degraded'];
  }
  const changed = JSON.stringify(Object.entries(next).sort()) !== JSON.stringify(Object.entries(notified).sort());
  return { fired, notified: changed ? next : notified, changed };
}
