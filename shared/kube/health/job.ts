// Job: as gitops-engine. A running Job is Progressing until it completes, where kstatus
// calls a started Job Current: hooks are Jobs, and a hook is done only when it finished.
import type { KubeObject } from '../object.ts';
import { conditionsOf, numberAt, spec, status } from './fields.ts';
import { health, type Health } from './status.ts';

export function jobHealth(object: KubeObject): Health {
  const active = conditionsOf(object).filter((condition) => condition.status === 'True');
  const failed = active.find((condition) => condition.type === 'Failed');
  if (failed) return health('Degraded', failed.message ?? failed.reason ?? 'Job failed');
  const complete = active.find((condition) => condition.type === 'Complete');
  if (complete) return health('Healthy', complete.message);
  const suspended = active.find((condition) => condition.type === 'Suspended');
  if (suspended || spec(object).suspend === true) return health('Suspended', suspended?.message ?? 'Job is suspended');
  const observed = status(object);
  const counts = `active: ${numberAt(observed, 'active', 0)}, succeeded: ${numberAt(observed, 'succeeded', 0)}, failed: ${numberAt(observed, 'failed', 0)}`;
  return health('Progressing', `Job has not finished (${counts})`);
}
