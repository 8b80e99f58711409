// What one finished sync adds to the four keys (the worker's metrics), read against the
// history the store lists newest first; and those signals as the EMF lines Powertools prints,
// with the opt-in dimensions. Figures worked out by hand from the histories.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emitDoraMetrics, parseDoraDimensions } from '../../shared/dora/cloudwatch.ts';
import type { DoraEntry } from '../../shared/dora/events.ts';
import { foldDora } from '../../shared/dora/events.ts';
import { signalsAfter, signalsOf } from '../../shared/dora/signals.ts';

function entry(revision: string, finishedAt: string, status: 'Synced' | 'Failed', reason = 'push', committedAt?: string): DoraEntry {
  return { revision, finishedAt, status, health: status === 'Synced' ? 'Healthy' : 'Unknown', reason, ...(committedAt ? { committedAt } : {}) };
}

describe('the DORA signals of the sync just finished', () => {
  const a = entry('A', '2026-06-01T10:00:00.000Z', 'Synced');

  it('a new revision that fails: a deployment and a change failure, nothing restored', () => {
    expect(signalsOf([a], entry('B', '2026-06-02T10:00:00.000Z', 'Failed', 'push', '2026-06-02T09:00:00.000Z'))).toEqual({
      deployment: true,
      changeFailure: true,
    });
  });

  it('its retry that succeeds: no second deployment, the lead time from the commit, and the time to restore', () => {
    const failed = entry('B', '2026-06-02T10:00:00.000Z', 'Failed', 'push', '2026-06-02T09:00:00.000Z');
    const retried = entry('B', '2026-06-02T10:05:00.000Z', 'Synced', 'push', '2026-06-02T09:00:00.000Z');
    // Newest first, as listHistory answers.
    expect(signalsOf([failed, a], retried)).toEqual({ deployment: false, changeFailure: false, leadTimeSeconds: 3900, timeToRestoreSeconds: 300 });
  });

  it('a rollback: the change failure of the deployment it replaces, restored from that deployment', () => {
    const b = entry('B', '2026-06-02T10:00:00.000Z', 'Synced', 'push', '2026-06-02T09:59:00.000Z');
    expect(signalsOf([b, a], entry('A', '2026-06-02T10:30:00.000Z', 'Synced', 'rollback'))).toEqual({
      deployment: false,
      changeFailure: true,
      timeToRestoreSeconds: 1800,
    });
  });

  it('a resync of the revision in effect: nothing', () => {
    expect(signalsOf([a], entry('A', '2026-06-03T10:00:00.000Z', 'Synced', 'self-heal'))).toEqual({ deployment: false, changeFailure: false });
  });

  it('the first sync a target ever had, from a push: a deployment with its lead time', () => {
    expect(signalsOf([], entry('A', '2026-06-01T10:00:00.000Z', 'Synced', 'push', '2026-06-01T09:58:30.000Z'))).toEqual({
      deployment: true,
      changeFailure: false,
      leadTimeSeconds: 90,
    });
  });
});

describe('the DORA state a history leaves (kept on the target, so a sync reads no history)', () => {
  const a = entry('A', '2026-06-01T10:00:00.000Z', 'Synced');
  const bFailed = entry('B', '2026-06-02T10:00:00.000Z', 'Failed', 'push', '2026-06-02T09:00:00.000Z');
  const bRetried = entry('B', '2026-06-02T10:05:00.000Z', 'Synced', 'push', '2026-06-02T09:00:00.000Z');
  const rollback = entry('A', '2026-06-02T10:30:00.000Z', 'Synced', 'rollback');

  it('is what the reading of the history stops at: a failing deployment of B since its failed sync', () => {
    expect(foldDora([bFailed, a])).toEqual({
      current: { revision: 'B', at: Date.parse(bFailed.finishedAt), failed: true, deployed: false, committedAt: '2026-06-02T09:00:00.000Z' },
      failingSince: Date.parse(bFailed.finishedAt),
    });
  });

  it('gives each sync the signals the whole history gives it, entry after entry', () => {
    const history = [a, bFailed, bRetried, rollback];
    let state = {};
    history.forEach((latest, index) => {
      const step = signalsAfter(state, latest);
      expect(step.signals).toEqual(signalsOf(history.slice(0, index).reverse(), latest));
      state = step.state;
    });
    expect(state).toEqual(foldDora(history));
  });

  it('survives being stored: plain JSON, nothing undefined', () => {
    const state = foldDora([bRetried, bFailed, a]);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(JSON.stringify(state)).not.toContain('undefined');
  });
});

describe('DORA_METRIC_DIMENSIONS', () => {
  it('knows app, cluster and env, keeps each once, and returns the names it does not know', () => {
    expect(parseDoraDimensions(undefined)).toEqual({ dimensions: [], unknown: [] });
    expect(parseDoraDimensions(' cluster , app,cluster')).toEqual({ dimensions: ['cluster', 'app'], unknown: [] });
    expect(parseDoraDimensions('env')).toEqual({ dimensions: ['env'], unknown: [] });
    expect(parseDoraDimensions('app,region')).toEqual({ dimensions: ['app'], unknown: ['region'] });
  });
});

describe('the signals as CloudWatch EMF', () => {
  afterEach(() => vi.unstubAllEnvs());

  /** The EMF documents a real Powertools Metrics prints for the signals. */
  function emitted(
    dimensions: Array<'app' | 'cluster' | 'env'>,
    target: { app: string; cluster: string; env?: string } = { app: 'web', cluster: 'prod-eu', env: 'prod' },
  ): Array<{ names: string[]; dimensions: string[][]; values: Record<string, unknown> }> {
    vi.stubEnv('POWERTOOLS_DEV', '');
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    try {
      const metrics = new Metrics({ namespace: 'Driftless', serviceName: 'driftless' });
      emitDoraMetrics(metrics, dimensions, target, { deployment: true, changeFailure: false, leadTimeSeconds: 90, timeToRestoreSeconds: 300 });
    } finally {
      write.mockRestore();
    }
    return lines
      .filter((line) => line.includes('"_aws"'))
      .map((line) => {
        const document = JSON.parse(line) as Record<string, unknown> & {
          _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
        };
        const [directive] = document._aws.CloudWatchMetrics;
        expect(directive.Namespace).toBe('Driftless');
        const names = directive.Metrics.map((metric) => metric.Name);
        return {
          names,
          dimensions: directive.Dimensions,
          values: Object.fromEntries([...names, 'app', 'cluster', 'env', 'service'].filter((key) => key in document).map((key) => [key, document[key]])),
        };
      });
  }

  it('prints one document per signal, by default with the service dimension only (4 custom metrics for the fleet)', () => {
    expect(emitted([])).toEqual([
      { names: ['Deployment'], dimensions: [['service']], values: { Deployment: 1, service: 'driftless' } },
      { names: ['LeadTimeSeconds'], dimensions: [['service']], values: { LeadTimeSeconds: 90, service: 'driftless' } },
      { names: ['TimeToRestoreSeconds'], dimensions: [['service']], values: { TimeToRestoreSeconds: 300, service: 'driftless' } },
    ]);
  });

  it('adds the app and cluster when they are opted in', () => {
    const [deployment] = emitted(['app', 'cluster']);
    expect(deployment.dimensions).toEqual([['service', 'app', 'cluster']]);
    expect(deployment.values).toEqual({ Deployment: 1, app: 'web', cluster: 'prod-eu', service: 'driftless' });
  });

  it('adds the cluster’s env label when env is opted in, and names a cluster without one `none`', () => {
    expect(emitted(['env'])[0]).toMatchObject({ dimensions: [['service', 'env']], values: { Deployment: 1, env: 'prod' } });
    expect(emitted(['env'], { app: 'web', cluster: 'lab' })[0]).toMatchObject({ values: { Deployment: 1, env: 'none' } });
  });
});
