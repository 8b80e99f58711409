import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { condition, live } from './objects.ts';

const apiService = (conditions?: Record<string, string>[]) =>
  live('apiregistration.k8s.io/v1', 'APIService', { spec: { group: 'metrics.k8s.io' }, status: conditions ? { conditions } : undefined });

describe('APIService health', () => {
  it.each([
    ['available', apiService([condition('Available', 'True', 'Passed', 'all checks passed')]), { status: 'Healthy', message: 'Passed: all checks passed' }],
    [
      'backing service not ready',
      apiService([condition('Available', 'False', 'MissingEndpoints', 'endpoints for service/metrics-server in "kube-system" have no addresses')]),
      { status: 'Progressing', message: 'MissingEndpoints: endpoints for service/metrics-server in "kube-system" have no addresses' },
    ],
    ['not processed yet', apiService(), { status: 'Progressing', message: 'Waiting to be processed' }],
  ])('%s', (_, object, expected) => {
    expect(assessHealth(object)).toEqual(expected);
  });
});
