import { describe, expect, it } from 'vitest';
import type { ObjectChange } from '../../shared/sync/changeset.ts';
import { failedChange, stepFailure } from '../../shared/sync/step-failed.ts';

const change = (fields: Partial<ObjectChange>): ObjectChange => ({
  object: 'Deployment/shop/web',
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web',
  action: 'configured',
  ...fields,
});

describe('failedChange: one rule for what fails a step', () => {
  it('passes what applied and became Healthy or Suspended (a suspended CronJob is done)', () => {
    expect(failedChange(change({ health: 'Healthy' }), false)).toBe(false);
    expect(failedChange(change({ health: 'Suspended' }), false)).toBe(false);
    expect(failedChange(change({ action: 'unchanged' }), false)).toBe(false);
  });

  it('fails what failed to apply or run, and what is Degraded, in a dry run too', () => {
    for (const dryRun of [false, true]) {
      expect(failedChange(change({ action: 'failed', message: 'forbidden' }), dryRun)).toBe(true);
      expect(failedChange(change({ health: 'Degraded' }), dryRun)).toBe(true);
    }
  });

  it('fails what is still not healthy once the wait is over, except in a dry run, which waits for nothing', () => {
    for (const health of ['Progressing', 'Missing', 'Unknown'] as const) {
      expect(failedChange(change({ health }), false)).toBe(true);
      expect(failedChange(change({ health }), true)).toBe(false);
    }
  });

  it('does not count an object left out because an earlier one failed: that one is the failure', () => {
    expect(failedChange(change({ action: 'skipped', message: 'not applied: an earlier object of this wave failed' }), false)).toBe(false);
  });
});

describe('stepFailure', () => {
  it('is undefined when nothing failed', () => {
    expect(stepFailure({ phase: 'Sync', wave: 0 }, [change({ health: 'Healthy' })], false)).toBeUndefined();
  });

  it('names the step and every object that failed it, with its message or else its health', () => {
    const changes = [
      change({ health: 'Healthy', name: 'ok', object: 'ConfigMap/shop/ok' }),
      change({ action: 'failed', message: 'forbidden', object: 'Secret/shop/creds' }),
      change({ health: 'Degraded' }),
    ];
    expect(stepFailure({ phase: 'PreSync', wave: -1 }, changes, false)).toBe(
      'PreSync wave -1 failed: Secret/shop/creds: forbidden; Deployment/shop/web: Degraded',
    );
  });
});
