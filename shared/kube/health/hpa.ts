// HorizontalPodAutoscaler, after gitops-engine: failing to read the scale target or its
// metrics is Degraded; able to scale is Healthy; anything else is still settling.
// Departures: a degraded reason only counts on a False condition (gitops-engine ignores
// the status), and scaling switched off because the target has zero replicas is Suspended
// rather than Progressing, since it will not change by waiting.
// Note for the caller: right after creation, metrics are often not available for a few
// scrapes (FailedGetResourceMetric), so a just-created HPA can read Degraded briefly.
import type { KubeObject } from '../object.ts';
import { conditionsOf, type Condition } from './fields.ts';
import { health, type Health } from './status.ts';

const V1_CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';

export function hpaHealth(object: KubeObject): Health {
  const conditions = hpaConditions(object);
  if (conditions === undefined) return health('Unknown', `annotation ${V1_CONDITIONS} is not a JSON list of conditions`);
  if (conditions.length === 0) return health('Progressing', 'Waiting to autoscale');

  const degraded = conditions.find(isDegraded);
  if (degraded) return health('Degraded', degraded.message ?? degraded.reason);
  const disabled = conditions.find((c) => c.type === 'ScalingActive' && c.status === 'False' && c.reason === 'ScalingDisabled');
  if (disabled) return health('Suspended', disabled.message ?? 'Scaling is disabled');
  const able = conditions.find((c) => c.type === 'AbleToScale' && c.status === 'True');
  if (able) return health('Healthy', able.message);
  return health('Progressing', 'Waiting to autoscale');
}

function isDegraded(condition: Condition): boolean {
  if (condition.status !== 'False') return false;
  const reason = condition.reason ?? '';
  if (condition.type === 'AbleToScale') return reason === 'FailedGetScale' || reason === 'FailedUpdateScale';
  if (condition.type === 'ScalingActive') return reason.startsWith('FailedGet') || reason === 'InvalidSelector';
  return false;
}

// autoscaling/v1 has no status.conditions; the API server carries them in an annotation.
function hpaConditions(object: KubeObject): Condition[] | undefined {
  const conditions = conditionsOf(object);
  const annotation = object.metadata.annotations?.[V1_CONDITIONS];
  if (conditions.length > 0 || annotation === undefined) return conditions;
  try {
    const parsed: unknown = JSON.parse(annotation);
    if (!Array.isArray(parsed)) return undefined;
    return conditionsOf({ ...object, status: { conditions: parsed } });
  } catch {
    return undefined;
  }
}
