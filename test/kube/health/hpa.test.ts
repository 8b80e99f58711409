import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { condition, live } from './objects.ts';

const hpa = (conditions: Record<string, string>[]) => live('autoscaling/v2', 'HorizontalPodAutoscaler', { spec: { maxReplicas: 5 }, status: { conditions } });

describe('HorizontalPodAutoscaler health', () => {
  it.each([
    ['no conditions yet', hpa([]), 'Progressing'],
    [
      'scaling normally',
      hpa([
        condition('AbleToScale', 'True', 'ReadyForNewScale'),
        condition('ScalingActive', 'True', 'ValidMetricFound'),
        condition('ScalingLimited', 'False', 'DesiredWithinRange'),
      ]),
      'Healthy',
    ],
    [
      'metrics unavailable',
      hpa([condition('AbleToScale', 'True', 'SucceededGetScale'), condition('ScalingActive', 'False', 'FailedGetResourceMetric', 'missing request for cpu')]),
      'Degraded',
    ],
    ['external metric unavailable', hpa([condition('AbleToScale', 'True'), condition('ScalingActive', 'False', 'FailedGetExternalMetric')]), 'Degraded'],
    ['target missing', hpa([condition('AbleToScale', 'False', 'FailedGetScale', 'deployments/scale.apps "web" not found')]), 'Degraded'],
    ['invalid selector', hpa([condition('AbleToScale', 'True'), condition('ScalingActive', 'False', 'InvalidSelector')]), 'Degraded'],
    [
      'target scaled to zero',
      hpa([
        condition('AbleToScale', 'True'),
        condition('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero'),
      ]),
      'Suspended',
    ],
    ['in back-off after a rescale', hpa([condition('AbleToScale', 'False', 'BackoffBoth')]), 'Progressing'],
  ])('%s → %s', (_, object, status) => {
    expect(assessHealth(object).status).toBe(status);
  });

  it('reads autoscaling/v1 conditions from their annotation', () => {
    const annotations = { 'autoscaling.alpha.kubernetes.io/conditions': JSON.stringify([condition('AbleToScale', 'False', 'FailedGetScale', 'no scale')]) };
    expect(assessHealth(live('autoscaling/v1', 'HorizontalPodAutoscaler', { annotations }))).toEqual({ status: 'Degraded', message: 'no scale' });
  });

  it('is Unknown when that annotation is not JSON', () => {
    const annotations = { 'autoscaling.alpha.kubernetes.io/conditions': '{oops' };
    expect(assessHealth(live('autoscaling/v1', 'HorizontalPodAutoscaler', { annotations })).status).toBe('Unknown');
  });
});
