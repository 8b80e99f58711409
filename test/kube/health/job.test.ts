import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { condition, live } from './objects.ts';

const job = (status: Record<string, unknown>, spec: Record<string, unknown> = {}) => live('batch/v1', 'Job', { spec, status });

describe('Job health', () => {
  it.each([
    ['complete', job({ succeeded: 1, conditions: [condition('Complete', 'True')] }), 'Healthy'],
    [
      'failed',
      job({ failed: 6, conditions: [condition('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')] }),
      'Degraded',
    ],
    ['running', job({ active: 1, startTime: '2025-01-01T00:00:00Z' }), 'Progressing'],
    ['not started', job({}), 'Progressing'],
    ['suspended by spec', job({}, { suspend: true }), 'Suspended'],
    ['suspended by condition', job({ conditions: [condition('Suspended', 'True', 'JobSuspended', 'Job suspended')] }), 'Suspended'],
    ['resumed (Suspended False)', job({ active: 1, conditions: [condition('Suspended', 'False', 'JobResumed')] }), 'Progressing'],
    ['Failed condition present but False', job({ conditions: [condition('Failed', 'False')] }), 'Progressing'],
  ])('%s → %s', (_, object, status) => {
    expect(assessHealth(object).status).toBe(status);
  });

  it('says why it failed', () => {
    const failed = job({ conditions: [condition('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')] });
    expect(assessHealth(failed).message).toBe('Job has reached the specified backoff limit');
  });

  it('counts pods while running', () => {
    expect(assessHealth(job({ active: 2, succeeded: 1 })).message).toBe('Job has not finished (active: 2, succeeded: 1, failed: 0)');
  });
});

describe('CronJob health', () => {
  it.each([
    [{ schedule: '* * * * *' }, 'Healthy'],
    [{ schedule: '* * * * *', suspend: true }, 'Suspended'],
  ])('%o → %s', (spec, status) => {
    expect(assessHealth(live('batch/v1', 'CronJob', { spec })).status).toBe(status);
  });
});
