import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { condition, live } from './objects.ts';

const rs = (status: Record<string, unknown>) =>
  live('apps/v1', 'ReplicaSet', { spec: { replicas: 2 }, status: { observedGeneration: 1, availableReplicas: 2, ...status } });

describe('ReplicaSet health', () => {
  it.each([
    ['all available', rs({}), 'Healthy'],
    ['spec not observed', rs({ observedGeneration: undefined }), 'Progressing'],
    ['one available', rs({ availableReplicas: 1 }), 'Progressing'],
    ['replica failure', rs({ availableReplicas: 0, conditions: [condition('ReplicaFailure', 'True', 'FailedCreate', 'exceeded quota')] }), 'Degraded'],
  ])('%s → %s', (_, object, status) => {
    expect(assessHealth(object).status).toBe(status);
  });

  it('reports the failure message', () => {
    expect(assessHealth(rs({ conditions: [condition('ReplicaFailure', 'True', 'FailedCreate', 'exceeded quota')] })).message).toBe('exceeded quota');
  });
});
