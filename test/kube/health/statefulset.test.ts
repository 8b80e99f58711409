import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { live } from './objects.ts';

const sts = (spec: Record<string, unknown>, status: Record<string, unknown>) =>
  live('apps/v1', 'StatefulSet', {
    spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, ...spec },
    status: {
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: 'web-2',
      updateRevision: 'web-2',
      ...status,
    },
  });

describe('StatefulSet health', () => {
  it.each([
    ['rolled out', sts({}, {}), 'Healthy'],
    ['never observed', sts({}, { observedGeneration: undefined }), 'Progressing'],
    ['pods not ready', sts({}, { readyReplicas: 2 }), 'Progressing'],
    ['rolling update under way', sts({}, { updatedReplicas: 1, currentRevision: 'web-1' }), 'Progressing'],
    ['all pods updated, revision not yet promoted', sts({}, { currentRevision: 'web-1' }), 'Progressing'],
    ['scale-down still terminating', sts({}, { replicas: 4, readyReplicas: 4 }), 'Progressing'],
    [
      'partition holds back two pods, the rest updated',
      sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, { updatedReplicas: 1, currentRevision: 'web-1' }),
      'Healthy',
    ],
    [
      'partitioned rollout not done',
      sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }, { updatedReplicas: 1, currentRevision: 'web-1' }),
      'Progressing',
    ],
    ['OnDelete with old pods', sts({ updateStrategy: { type: 'OnDelete' } }, { updatedReplicas: 0, currentRevision: 'web-1' }), 'Healthy'],
    ['OnDelete with pods not ready', sts({ updateStrategy: { type: 'OnDelete' } }, { readyReplicas: 1 }), 'Progressing'],
  ])('%s → %s', (_, object, status) => {
    expect(assessHealth(object).status).toBe(status);
  });

  it('says how many pods it waits for', () => {
    expect(assessHealth(sts({}, { readyReplicas: 1 })).message).toBe('Waiting for 2 pods to be ready...');
  });
});
