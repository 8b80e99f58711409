// A sync continues in a new message only when everything is applied and health alone is
// pending at the invocation's timeout, within the app's 30 minutes counted from when the sync
// was first asked for.
import { describe, expect, it } from 'vitest';
import type { SyncJob } from '../../../shared/queue/job.ts';
import type { ChangeSet, ObjectChange } from '../../../shared/sync/changeset.ts';
import { continuationOf, needsMoreTime } from '../../../shared/worker/policy/continuation.ts';

const enqueuedAt = '2025-06-01T12:00:00.000Z';
const minutesLater = (minutes: number) => new Date(Date.parse(enqueuedAt) + minutes * 60_000);

const change = (name: string, fields: Partial<ObjectChange>): ObjectChange => ({
  object: `Deployment/shop/${name}`,
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'shop',
  name,
  action: 'configured',
  ...fields,
});
const result = (fields: Partial<ChangeSet>): ChangeSet => ({
  app: 'web',
  status: 'Failed',
  health: 'Progressing',
  message: 'Sync wave 0 failed: Deployment/shop/web: not healthy before the sync timed out: Progressing',
  dryRun: false,
  objects: [change('web', { health: 'Progressing', action: 'failed' }), change('api', { health: 'Healthy' })],
  startedAt: enqueuedAt,
  durationMs: 1000,
  ...fields,
});

describe('needsMoreTime', () => {
  it('continues a sync whose only trouble is health still progressing at the timeout', () => {
    expect(needsMoreTime(result({}), enqueuedAt, minutesLater(10))).toBe(true);
  });

  it('stops at 30 minutes from the first request, however many invocations it took', () => {
    expect(needsMoreTime(result({}), enqueuedAt, minutesLater(29))).toBe(true);
    expect(needsMoreTime(result({}), enqueuedAt, minutesLater(30))).toBe(false);
  });

  it('does not continue when an object failed for another reason than progressing', () => {
    const objects = [change('web', { health: 'Progressing', action: 'failed' }), change('api', { health: 'Degraded', action: 'failed' })];
    expect(needsMoreTime(result({ objects }), enqueuedAt, minutesLater(1))).toBe(false);
  });

  it('does not continue a failure that is not a timeout, or nothing left progressing', () => {
    expect(needsMoreTime(result({ message: 'Sync wave 0 failed: Deployment/shop/web: forbidden' }), enqueuedAt, minutesLater(1))).toBe(false);
    expect(needsMoreTime(result({ objects: [change('api', { health: 'Healthy' })] }), enqueuedAt, minutesLater(1))).toBe(false);
  });

  it('does not continue a sync that succeeded', () => {
    expect(needsMoreTime(result({ status: 'Succeeded', health: 'Healthy', message: 'synced' }), enqueuedAt, minutesLater(1))).toBe(false);
  });
});

describe('continuationOf', () => {
  it('keeps the trigger, revision and first enqueue time, and counts the continuation', () => {
    const job: SyncJob = { kind: 'sync', app: 'web', cluster: 'prod', revision: 'a'.repeat(40), ref: 'main', trigger: 'push', deliveryId: 'd-1', enqueuedAt };
    const first = continuationOf(job);
    expect(first).toEqual({ ...job, continuation: 1 });
    expect(continuationOf(first)).toEqual({ ...job, continuation: 2 });
  });
});
