// Everything without a check of its own, by kstatus's generic rules: a controller that has
// not observed the latest generation is Progressing; Stalled=True is Degraded and
// Reconciling=True is Progressing (kstatus's abnormal-true conditions). No status at all
// is Healthy: ConfigMaps, Secrets, RBAC and most config objects never get one.
//
// Where we go beyond kstatus: a Ready or Available condition, the convention of most
// operators (cert-manager, Flux, Crossplane, ACK), is honoured. kstatus ignores both and
// calls such a resource Current at once; we report Progressing while it is False (not
// Degraded: a False Ready usually means "not yet"), so a wave waits for the operator.
import type { KubeObject } from '../object.ts';
import { conditionOf, generationOf, observedGenerationOf } from './fields.ts';
import { health, type Health } from './status.ts';

export function genericHealth(object: KubeObject): Health {
  const observedGeneration = observedGenerationOf(object);
  const generation = generationOf(object);
  if (observedGeneration !== undefined && observedGeneration < generation) {
    return health('Progressing', `${object.kind} generation is ${generation}, but latest observed generation is ${observedGeneration}`);
  }
  const stalled = conditionOf(object, 'Stalled');
  if (stalled?.status === 'True') return health('Degraded', stalled.message ?? stalled.reason);
  const reconciling = conditionOf(object, 'Reconciling');
  if (reconciling?.status === 'True') return health('Progressing', reconciling.message ?? reconciling.reason);
  for (const type of ['Ready', 'Available']) {
    const condition = conditionOf(object, type);
    if (condition?.status === 'False' || condition?.status === 'Unknown') {
      return health('Progressing', condition.message ?? condition.reason ?? `${type} is ${condition.status}`);
    }
  }
  return health('Healthy');
}
