import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { live } from './objects.ts';

const ds = (status: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
  live('apps/v1', 'DaemonSet', {
    spec,
    status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, ...status },
  });

describe('DaemonSet health', () => {
  it.each([
    ['all nodes updated and available', ds({}), 'Healthy', undefined],
    [
      'spec not observed',
      ds({ observedGeneration: 0 }),
      'Progressing',
      'Waiting for rollout to finish: observed daemon set generation less than desired generation',
    ],
    ['rolling', ds({ updatedNumberScheduled: 1 }), 'Progressing', 'Waiting for daemon set "web" rollout to finish: 1 out of 3 new pods have been updated...'],
    [
      'updated, not available',
      ds({ numberAvailable: 2 }),
      'Progressing',
      'Waiting for daemon set "web" rollout to finish: 2 of 3 updated pods are available...',
    ],
    [
      'OnDelete with old pods',
      ds({ updatedNumberScheduled: 0 }, { updateStrategy: { type: 'OnDelete' } }),
      'Healthy',
      'daemon set 0 out of 3 new pods have been updated',
    ],
  ])('%s → %s', (_, object, status, message) => {
    expect(assessHealth(object)).toEqual(message === undefined ? { status } : { status, message });
  });
});
