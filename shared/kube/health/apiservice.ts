// APIService: usable when Available (gitops-engine). An unavailable one is Progressing,
// as its backing service is usually still starting.
import type { KubeObject } from '../object.ts';
import { conditionOf } from './fields.ts';
import { health, type Health } from './status.ts';

export function apiServiceHealth(object: KubeObject): Health {
  const available = conditionOf(object, 'Available');
  if (!available) return health('Progressing', 'Waiting to be processed');
  const detail = [available.reason, available.message].filter(Boolean).join(': ');
  return health(available.status === 'True' ? 'Healthy' : 'Progressing', detail || undefined);
}
