// The conclusions as GitHub defines them (REST "Create a check run": conclusion): success,
// failure, neutral, cancelled, skipped, timed_out, action_required.
import { describe, expect, it } from 'vitest';
import { checkState } from '../../shared/github/check-state.ts';
import type { CheckResult } from '../../shared/github/check-details.ts';

const failed = (objects: CheckResult['objects'], health: CheckResult['health']): CheckResult => ({
  status: 'Failed',
  health,
  message: 'm',
  objects,
  durationMs: 1,
});
const object = (fields: Partial<CheckResult['objects'][number]>) => ({
  object: 'Deployment/shop/web',
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'web',
  action: 'created' as const,
  ...fields,
});

describe('check run state of a post', () => {
  it('is in progress while pending, and completed with the commit state’s meaning after', () => {
    expect(checkState('pending')).toEqual({ status: 'in_progress' });
    expect(checkState('success')).toEqual({ status: 'completed', conclusion: 'success' });
    expect(checkState('failure')).toEqual({ status: 'completed', conclusion: 'failure' });
    // Gave up (dead-letter queue): a failure, GitHub has no "error".
    expect(checkState('error', { reason: 'gave-up' })).toEqual({ status: 'completed', conclusion: 'failure' });
  });

  it('stays queued while a sync window holds the sync', () => {
    expect(checkState('pending', { reason: 'held' })).toEqual({ status: 'queued' });
  });

  it('is cancelled when a newer commit superseded it', () => {
    expect(checkState('failure', { reason: 'superseded' })).toEqual({ status: 'completed', conclusion: 'cancelled' });
  });

  it('timed out when nothing failed but objects were still progressing', () => {
    expect(checkState('failure', { result: failed([object({ health: 'Progressing' })], 'Progressing') })).toEqual({
      status: 'completed',
      conclusion: 'timed_out',
    });
    expect(checkState('failure', { result: failed([object({ health: 'Degraded' })], 'Degraded') })).toEqual({ status: 'completed', conclusion: 'failure' });
    expect(checkState('failure', { result: failed([object({ health: 'Progressing' }), object({ action: 'failed' })], 'Progressing') })).toEqual({
      status: 'completed',
      conclusion: 'failure',
    });
  });
});
