// What each ending of a sync records, posts and emits. Commit states are GitHub's (pending,
// success, failure, error); sync statuses and health are Argo CD's words.
import { describe, expect, it } from 'vitest';
import type { SyncJob } from '../../../shared/queue/job.ts';
import type { ChangeSet } from '../../../shared/sync/changeset.ts';
import { finalReport } from '../../../shared/worker/policy/final-report.ts';

const revision = 'd'.repeat(40);
const job: SyncJob = {
  kind: 'sync',
  app: 'web',
  cluster: 'prod',
  revision,
  ref: 'main',
  trigger: 'push',
  deliveryId: 'delivery-1',
  enqueuedAt: '2025-06-01T12:00:00.000Z',
};
const about = { app: 'web', cluster: 'prod', revision, ref: 'main', reason: 'push', deliveryId: 'delivery-1' };
const inventory = { app: 'web', entries: [] };
const result = (fields: Partial<ChangeSet>): ChangeSet => ({
  app: 'web',
  status: 'Succeeded',
  health: 'Healthy',
  message: 'successfully synced (all tasks run)',
  dryRun: false,
  objects: [{ object: 'ConfigMap/shop/web', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web', action: 'configured', health: 'Healthy' }],
  inventory,
  startedAt: '2025-06-01T12:00:01.000Z',
  durationMs: 1234,
  ...fields,
});
const counts = { created: 0, configured: 1, unchanged: 0, pruned: 0, failed: 0, skipped: 0, deleted: 0 };

describe('finalReport', () => {
  it('a sync that succeeded: Synced, a success status, Sync Succeeded', () => {
    const report = finalReport(job, { kind: 'result', result: result({}), renderKey: 'renders/web.json.gz' });
    expect(report.record).toEqual({
      status: 'Synced',
      health: 'Healthy',
      message: 'successfully synced (all tasks run)',
      counts,
      inventory,
      renderKey: 'renders/web.json.gz',
    });
    expect(report.status).toEqual({ state: 'success', description: 'Synced, Healthy: successfully synced (all tasks run)' });
    expect(report.events).toEqual([
      {
        detailType: 'Sync Succeeded',
        detail: {
          ...about,
          syncStatus: 'Synced',
          health: 'Healthy',
          durationMs: 1234,
          counts,
          summary: 'Synced, Healthy: successfully synced (all tasks run)',
        },
      },
    ]);
  });

  it('a sync that failed: Failed, a failure status, Sync Failed', () => {
    const report = finalReport(job, {
      kind: 'result',
      result: result({ status: 'Failed', health: 'Missing', message: 'Sync wave 0 failed: ConfigMap/shop/web: forbidden' }),
      renderKey: 'k',
    });
    expect(report.record).toMatchObject({ status: 'Failed', health: 'Missing' });
    expect(report.status).toEqual({ state: 'failure', description: 'Sync failed, Missing: Sync wave 0 failed: ConfigMap/shop/web: forbidden' });
    expect(report.events.map((event) => event.detailType)).toEqual(['Sync Failed']);
    expect(report.events[0].detail).toMatchObject({ syncStatus: 'Failed', health: 'Missing' });
  });

  it('a sync that left the app Degraded also says Health Degraded', () => {
    const report = finalReport(job, {
      kind: 'result',
      result: result({ status: 'Failed', health: 'Degraded', message: 'Deployment/shop/web: ProgressDeadlineExceeded' }),
      renderKey: 'k',
    });
    expect(report.events.map((event) => event.detailType)).toEqual(['Sync Failed', 'Health Degraded']);
  });

  it('a failed attempt the retry policy tries again: recorded, pending, no events yet', () => {
    const report = finalReport(job, {
      kind: 'retrying',
      result: result({ status: 'Failed', health: 'Missing', message: 'Sync wave 0 failed: ConfigMap/shop/web: boom\nmore' }),
      renderKey: 'k',
      attempt: 2,
      retryInSeconds: 10,
    });
    expect(report.record).toMatchObject({ status: 'Failed', health: 'Missing', renderKey: 'k' });
    expect(report.status).toEqual({ state: 'pending', description: 'attempt 2 failed, retrying in 10s: Sync wave 0 failed: ConfigMap/shop/web: boom' });
    expect(report.events).toEqual([]);
  });

  it('bad input: cannot sync, a failure status with the first line, Sync Failed', () => {
    const report = finalReport(job, { kind: 'bad-input', message: 'apps/web/deploy.yaml:3: cannot parse: bad indentation\n  spec: [' });
    expect(report.record).toEqual({
      status: 'Failed',
      health: 'Unknown',
      message: 'cannot sync: apps/web/deploy.yaml:3: cannot parse: bad indentation\n  spec: [',
    });
    expect(report.status).toEqual({ state: 'failure', description: 'apps/web/deploy.yaml:3: cannot parse: bad indentation' });
    expect(report.events).toEqual([
      { detailType: 'Sync Failed', detail: { ...about, syncStatus: 'Failed', summary: 'apps/web/deploy.yaml:3: cannot parse: bad indentation' } },
    ]);
  });

  it('giving up: the dead-letter queue named on the target, an error status, Sync Failed', () => {
    const report = finalReport(job, { kind: 'gave-up', attempts: 5, message: 'connect ECONNREFUSED 127.0.0.1:6443\nstack' });
    expect(report.record).toEqual({
      status: 'Failed',
      health: 'Unknown',
      message: 'gave up after 5 attempts (the job is in the dead-letter queue): connect ECONNREFUSED 127.0.0.1:6443\nstack',
    });
    expect(report.status).toEqual({ state: 'error', description: 'gave up after 5 attempts: connect ECONNREFUSED 127.0.0.1:6443' });
    expect(report.events).toEqual([
      { detailType: 'Sync Failed', detail: { ...about, syncStatus: 'Failed', summary: 'gave up after 5 attempts: connect ECONNREFUSED 127.0.0.1:6443' } },
    ]);
  });
});
