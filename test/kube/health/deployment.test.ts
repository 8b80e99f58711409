import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { condition, live } from './objects.ts';

const deployment = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 2) =>
  live('apps/v1', 'Deployment', { generation, spec: { replicas: 3, ...spec }, status: { observedGeneration: 2, ...status } });

const rolledOut = { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 };

describe('Deployment health', () => {
  it.each([
    ['rolled out', deployment({}, rolledOut), 'Healthy', undefined],
    ['paused mid-rollout', deployment({ paused: true }, { replicas: 4, updatedReplicas: 1 }), 'Suspended', 'Deployment is paused'],
    [
      'a new spec not yet observed',
      deployment({}, rolledOut, 3),
      'Progressing',
      'Waiting for rollout to finish: observed deployment generation less than desired generation',
    ],
    [
      'mid-rollout, new pods being created',
      deployment({}, { replicas: 4, updatedReplicas: 1, availableReplicas: 3 }),
      'Progressing',
      'Waiting for rollout to finish: 1 out of 3 new replicas have been updated...',
    ],
    [
      'old pods still terminating',
      deployment({}, { replicas: 4, updatedReplicas: 3, availableReplicas: 3 }),
      'Progressing',
      'Waiting for rollout to finish: 1 old replicas are pending termination...',
    ],
    [
      'new pods not yet available',
      deployment({}, { replicas: 3, updatedReplicas: 3, availableReplicas: 2 }),
      'Progressing',
      'Waiting for rollout to finish: 2 of 3 updated replicas are available...',
    ],
    [
      'past its progress deadline',
      deployment({}, { replicas: 4, updatedReplicas: 1, conditions: [condition('Progressing', 'False', 'ProgressDeadlineExceeded')] }),
      'Degraded',
      'Deployment "web" exceeded its progress deadline',
    ],
    ['scaled to zero', deployment({ replicas: 0 }, {}), 'Healthy', undefined],
    [
      'just created, no status yet',
      live('apps/v1', 'Deployment', { spec: { replicas: 1 } }),
      'Progressing',
      expect.stringContaining('observed deployment generation'),
    ],
  ])('%s → %s', (_, object, status, message) => {
    expect(assessHealth(object)).toEqual(message === undefined ? { status } : { status, message });
  });

  it('defaults spec.replicas to 1 as the API server does', () => {
    expect(assessHealth(deployment({ replicas: undefined }, { replicas: 0, updatedReplicas: 0 })).status).toBe('Progressing');
  });
});
