// ReplicaSet: as gitops-engine. A ReplicaFailure condition (quota exceeded, admission
// denied) is Degraded here; kstatus calls it InProgress, but nothing clears it without a
// change from outside, so waiting on it only delays the failure.
import type { KubeObject } from '../object.ts';
import { conditionOf, generationOf, numberAt, observedGenerationOf, spec, status } from './fields.ts';
import { health, type Health } from './status.ts';

export function replicaSetHealth(object: KubeObject): Health {
  if ((observedGenerationOf(object) ?? 0) < generationOf(object)) {
    return health('Progressing', 'Waiting for rollout to finish: observed replica set generation less than desired generation');
  }
  const failure = conditionOf(object, 'ReplicaFailure');
  if (failure?.status === 'True') return health('Degraded', failure.message);
  const replicas = numberAt(spec(object), 'replicas', 1);
  const available = numberAt(status(object), 'availableReplicas', 0);
  if (available < replicas) {
    return health('Progressing', `Waiting for rollout to finish: ${available} out of ${replicas} new replicas are available...`);
  }
  return health('Healthy');
}
