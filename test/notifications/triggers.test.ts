// The trigger conditions of Argo CD's notifications catalog (on-deployed: "Application is synced
// and healthy. Triggered once per commit.", on-sync-failed, on-health-degraded) and on-drift.
import { describe, expect, it } from 'vitest';
import { firedTriggers, type Notified } from '../../shared/notifications/triggers.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('firedTriggers', () => {
  it('fires on-deployed and on-sync-succeeded for a healthy sync of a new commit, and remembers the commit', () => {
    const firing = firedTriggers({ kind: 'sync-ended', succeeded: true, revision: A, health: 'Healthy' });
    expect(firing.fired.sort()).toEqual(['on-deployed', 'on-sync-succeeded']);
    expect(firing.notified).toEqual({ 'on-deployed': A });
    expect(firing.changed).toBe(true);
  });

  it('does not fire on-deployed again for the same commit (a resync or a self-heal), but does for the next', () => {
    const notified: Notified = { 'on-deployed': A };
    const again = firedTriggers({ kind: 'sync-ended', succeeded: true, revision: A, health: 'Healthy' }, notified);
    expect(again.fired).toEqual(['on-sync-succeeded']);
    expect(again.changed).toBe(false);
    const next = firedTriggers({ kind: 'sync-ended', succeeded: true, revision: B, health: 'Healthy' }, notified);
    expect(next.fired).toContain('on-deployed');
    expect(next.notified['on-deployed']).toBe(B);
  });

  it('keeps the commit notified through a degraded spell: healing the same commit is not a new deployment', () => {
    const degraded = firedTriggers({ kind: 'sync-ended', succeeded: true, revision: A, health: 'Degraded' }, { 'on-deployed': A });
    const healed = firedTriggers({ kind: 'sync-ended', succeeded: true, revision: A, health: 'Healthy' }, degraded.notified);
    expect(healed.fired).not.toContain('on-deployed');
  });

  it('does not fire on-deployed for a sync that succeeded while the app is not Healthy', () => {
    for (const health of ['Progressing', 'Degraded', 'Missing', 'Unknown'] as const) {
      expect(firedTriggers({ kind: 'sync-ended', succeeded: true, revision: A, health }).fired).not.toContain('on-deployed');
    }
  });

  it('fires on-sync-failed for every failed ending, and never on-deployed', () => {
    const notified: Notified = { 'on-deployed': B };
    const first = firedTriggers({ kind: 'sync-ended', succeeded: false, revision: A, health: 'Healthy' }, notified);
    expect(first.fired).toEqual(['on-sync-failed']);
    expect(firedTriggers({ kind: 'sync-ended', succeeded: false, revision: A }, first.notified).fired).toEqual(['on-sync-failed']);
  });

  it('fires on-health-degraded when health turns Degraded, not while it stays so, and again after a recovery', () => {
    const first = firedTriggers({ kind: 'sync-ended', succeeded: false, revision: A, health: 'Degraded' });
    expect(first.fired).toContain('on-health-degraded');
    const still = firedTriggers({ kind: 'sync-ended', succeeded: false, revision: B, health: 'Degraded' }, first.notified);
    expect(still.fired).not.toContain('on-health-degraded');
    // A failure that read no health (bad input) says nothing about it.
    const unread = firedTriggers({ kind: 'sync-ended', succeeded: false, revision: B }, still.notified);
    expect(unread.notified).toEqual(still.notified);
    const recovered = firedTriggers({ kind: 'sync-ended', succeeded: true, revision: B, health: 'Healthy' }, unread.notified);
    expect(recovered.notified['on-health-degraded']).toBeUndefined();
    expect(firedTriggers({ kind: 'sync-ended', succeeded: true, revision: B, health: 'Degraded' }, recovered.notified).fired).toContain('on-health-degraded');
  });

  it('fires on-drift for a drift the scan announces as new', () => {
    expect(firedTriggers({ kind: 'drift-detected' }, { 'on-deployed': A })).toEqual({ fired: ['on-drift'], notified: { 'on-deployed': A }, changed: false });
  });
});
