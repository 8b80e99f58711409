// The four keys from hand-written histories. Every expected figure is worked out by hand from
// DORA's definitions (deployment frequency, lead time for changes, change failure rate, time
// to restore service) as shared/dora/events.ts applies them to syncs, never read off the code.
import { describe, expect, it } from 'vitest';
import type { DoraEntry } from '../../shared/dora/events.ts';
import { doraFigures, figuresOf, median, percentile, windowOf } from '../../shared/dora/metrics.ts';
import { targetEvents } from '../../shared/dora/events.ts';

const NOW = Date.parse('2026-06-30T00:00:00.000Z');
const WINDOW = windowOf(NOW, 30);
const DAY = 86_400_000;

/** An ISO time `days` before NOW, plus `hh:mm`. */
function at(days: number, time = '00:00'): string {
  const [hours, minutes] = time.split(':').map(Number);
  return new Date(NOW - days * DAY + (hours * 60 + minutes) * 60_000).toISOString();
}

type Outcome = 'ok' | 'failed' | 'degraded' | 'progressing';

function sync(revision: string, finishedAt: string, outcome: Outcome, reason = 'push', committedAt?: string): DoraEntry {
  const result = {
    ok: { status: 'Synced', health: 'Healthy' },
    failed: { status: 'Failed', health: 'Unknown' },
    degraded: { status: 'Synced', health: 'Degraded' },
    progressing: { status: 'Synced', health: 'Progressing' },
  }[outcome] as Pick<DoraEntry, 'status' | 'health'>;
  return { revision, finishedAt, reason, ...result, ...(committedAt ? { committedAt } : {}) };
}

describe('DORA figures of one app on one cluster', () => {
  it('has no deployments, no rates and no times when nothing was synced', () => {
    expect(doraFigures([], WINDOW)).toEqual({
      deployments: 0,
      successfulDeployments: 0,
      failedDeployments: 0,
      deploymentsPerDay: 0,
      leadTimeSeconds: { median: null, p90: null, samples: 0 },
      changeFailureRate: null,
      timeToRestoreSeconds: { median: null, samples: 0 },
      unrestored: 0,
    });
  });

  it('counts deployments, failures, lead times and restores over a month of pushes, a fix, a rollback and a self-heal', () => {
    const history = [
      // Before the window: a deployment that does not count, but A is what the target runs.
      sync('A', at(40), 'ok', 'push', at(41)),
      // B: committed 09:00, Synced + Healthy at 10:00 → lead time 3600 s.
      sync('B', at(20, '10:00'), 'ok', 'push', at(20, '09:00')),
      // C fails, and its retry fails too: one failed deployment; the target fails from 12:00.
      sync('C', at(10, '12:00'), 'failed', 'push', at(10, '11:30')),
      sync('C', at(10, '12:05'), 'failed', 'push', at(10, '11:30')),
      // D fixes forward: lead 12:20 → 12:30 = 600 s; restored 12:00 → 12:30 = 1800 s.
      sync('D', at(10, '12:30'), 'ok', 'push', at(10, '12:20')),
      // E deploys fine (lead 07:00 → 08:00 = 3600 s) and is rolled back to D at 09:00:
      // E failed, and it was bad from its sync at 08:00 to the rollback at 09:00 = 3600 s.
      sync('E', at(5, '08:00'), 'ok', 'push', at(5, '07:00')),
      sync('D', at(5, '09:00'), 'ok', 'rollback'),
      // Drift healed badly, then well: a failure of 900 s that is no deployment's.
      sync('D', at(2, '00:00'), 'degraded', 'self-heal'),
      sync('D', at(2, '00:15'), 'ok', 'self-heal'),
    ];
    // In the window: deployments B, C, D, E (4); successful B, D, E (3); failed C and E (2).
    expect(doraFigures(history, WINDOW)).toEqual({
      deployments: 4,
      successfulDeployments: 3,
      failedDeployments: 2,
      deploymentsPerDay: 3 / 30,
      // 600, 3600, 3600: median 3600; nearest rank ceil(0.9 × 3) = 3rd → 3600.
      leadTimeSeconds: { median: 3600, p90: 3600, samples: 3 },
      changeFailureRate: 0.5,
      // 1800, 3600, 900: median 1800.
      timeToRestoreSeconds: { median: 1800, samples: 3 },
      unrestored: 0,
    });
  });

  it('gives the order of the history no weight: the store lists newest first', () => {
    const history = [sync('A', at(3), 'ok', 'push', at(3, '-1:00')), sync('B', at(2), 'failed'), sync('C', at(1), 'ok')];
    expect(doraFigures([...history].reverse(), WINDOW)).toEqual(doraFigures(history, WINDOW));
  });

  it('leaves a failure that was never restored out of the restore times and counts the target as unrestored', () => {
    const figures = doraFigures([sync('A', at(3), 'ok'), sync('B', at(2), 'failed'), sync('B', at(1), 'failed', 'manual')], WINDOW);
    expect(figures).toMatchObject({ deployments: 2, successfulDeployments: 1, failedDeployments: 1, changeFailureRate: 0.5, unrestored: 1 });
    expect(figures.timeToRestoreSeconds).toEqual({ median: null, samples: 0 });
  });

  it('counts a rollback as the failure of the deployment it replaced, and the rollback itself as no deployment', () => {
    const figures = doraFigures([sync('A', at(3), 'ok'), sync('B', at(2, '10:00'), 'ok'), sync('A', at(2, '10:20'), 'ok', 'rollback')], WINDOW);
    // A and B are deployments; B was rolled back: 1 of 2. B was live 20 minutes.
    expect(figures).toMatchObject({ deployments: 2, successfulDeployments: 2, failedDeployments: 1, changeFailureRate: 0.5 });
    expect(figures.timeToRestoreSeconds).toEqual({ median: 1200, samples: 1 });
  });

  it('counts a deployment that failed once and then succeeded on a retry as failed, restored and deployed', () => {
    const figures = doraFigures(
      [sync('A', at(3), 'ok'), sync('B', at(2, '10:00'), 'failed', 'push', at(2, '09:00')), sync('B', at(2, '10:10'), 'ok', 'push', at(2, '09:00'))],
      WINDOW,
    );
    // Lead time runs to the first Synced + Healthy: 09:00 → 10:10.
    expect(figures).toMatchObject({ deployments: 2, successfulDeployments: 2, failedDeployments: 1 });
    expect(figures.leadTimeSeconds).toEqual({ median: 4200, p90: 4200, samples: 1 });
    expect(figures.timeToRestoreSeconds).toEqual({ median: 600, samples: 1 });
  });

  it('takes the commit time from the push even when a manual sync of the same commit is the one that succeeds', () => {
    const figures = doraFigures([sync('B', at(2, '10:00'), 'failed', 'push', at(2, '08:00')), sync('B', at(2, '11:00'), 'ok', 'manual')], WINDOW);
    expect(figures.leadTimeSeconds).toEqual({ median: 10_800, p90: 10_800, samples: 1 });
  });

  it('does not count a resync, a self-heal or a manual sync of the revision in effect as a deployment', () => {
    const figures = doraFigures(
      [sync('A', at(5), 'ok'), sync('A', at(4), 'ok', 'manual'), sync('A', at(3), 'ok', 'self-heal'), sync('A', at(2), 'ok', 'config')],
      WINDOW,
    );
    expect(figures).toMatchObject({ deployments: 1, successfulDeployments: 1, failedDeployments: 0, changeFailureRate: 0 });
  });

  it('counts Synced but Degraded as a failed deployment', () => {
    expect(doraFigures([sync('A', at(3), 'ok'), sync('B', at(2), 'degraded')], WINDOW)).toMatchObject({ deployments: 2, failedDeployments: 1, unrestored: 1 });
  });

  it('does not count a deployment still Progressing as successful, nor as failed', () => {
    expect(doraFigures([sync('B', at(2), 'progressing')], WINDOW)).toMatchObject({
      deployments: 1,
      successfulDeployments: 0,
      failedDeployments: 0,
      changeFailureRate: 0,
    });
  });

  it('takes a restored entry (the table rebuilt) as the revision in effect, not as a deployment', () => {
    const figures = doraFigures([sync('A', at(4), 'ok', 'restored'), sync('A', at(3), 'ok', 'push'), sync('B', at(2), 'ok', 'push')], WINDOW);
    expect(figures).toMatchObject({ deployments: 1, successfulDeployments: 1 });
  });

  it('counts a deployment without a commit time (a manual sync to another commit) but gives it no lead time', () => {
    const figures = doraFigures([sync('A', at(3), 'ok', 'push', at(3, '-2:00')), sync('B', at(2), 'ok', 'manual')], WINDOW);
    expect(figures).toMatchObject({ deployments: 2, successfulDeployments: 2 });
    expect(figures.leadTimeSeconds).toEqual({ median: 7200, p90: 7200, samples: 1 });
  });

  it('counts a failure by the window of its deployment, so a rate never exceeds one', () => {
    // B deployed 31 days ago (outside), rolled back 29 days ago (inside): neither B nor its failure is in the window.
    const figures = doraFigures([sync('A', at(40), 'ok'), sync('B', at(31), 'ok'), sync('A', at(29), 'ok', 'rollback')], WINDOW);
    expect(figures).toMatchObject({ deployments: 0, failedDeployments: 0, changeFailureRate: null });
    // Its restore ended inside the window: it is one.
    expect(figures.timeToRestoreSeconds).toEqual({ median: 2 * 86_400, samples: 1 });
  });
});

describe('DORA figures of several targets together', () => {
  it('takes the median over every sample of every target, and counts each unrestored target once', () => {
    const web = targetEvents([sync('A', at(3, '10:00'), 'ok', 'push', at(3, '09:50')), sync('B', at(2), 'failed')]);
    const api = targetEvents([sync('X', at(3, '10:00'), 'ok', 'push', at(3, '09:00')), sync('Y', at(2, '10:00'), 'ok', 'push', at(2, '09:30'))]);
    const figures = figuresOf([web, api], WINDOW);
    // Lead times 600, 3600, 1800 → median 1800, p90 3600; 4 deployments, 1 failed; web still failing.
    expect(figures).toMatchObject({ deployments: 4, successfulDeployments: 3, failedDeployments: 1, changeFailureRate: 0.25, unrestored: 1 });
    expect(figures.leadTimeSeconds).toEqual({ median: 1800, p90: 3600, samples: 3 });
  });
});

describe('median and p90', () => {
  it('takes the mean of the two middle values for an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
  });

  it('takes the nearest rank for p90', () => {
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
    expect(percentile([7], 90)).toBe(7);
  });
});
