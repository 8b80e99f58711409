// Deployment: kubectl rollout status's rules, as gitops-engine applies them (it reads
// spec.replicas; kstatus adds a Ready count and the Available condition, which the
// available-replicas rule already covers once the rollout is observed).
import type { KubeObject } from '../object.ts';
import { conditionOf, generationOf, numberAt, observedGenerationOf, spec, status } from './fields.ts';
import { health, type Health } from './status.ts';

export function deploymentHealth(object: KubeObject): Health {
  const desired = spec(object);
  const observed = status(object);
  // A paused rollout will not move until someone resumes it; waiting on it would hang.
  if (desired.paused === true) return health('Suspended', 'Deployment is paused');
  if ((observedGenerationOf(object) ?? 0) < generationOf(object)) {
    return health('Progressing', 'Waiting for rollout to finish: observed deployment generation less than desired generation');
  }
  if (conditionOf(object, 'Progressing')?.reason === 'ProgressDeadlineExceeded') {
    return health('Degraded', `Deployment "${object.metadata.name}" exceeded its progress deadline`);
  }
  const replicas = numberAt(desired, 'replicas', 1); // the API server's default
  const current = numberAt(observed, 'replicas', 0);
  const updated = numberAt(observed, 'updatedReplicas', 0);
  const available = numberAt(observed, 'availableReplicas', 0);
  if (updated < replicas) {
    return health('Progressing', `Waiting for rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`);
  }
  if (current > updated) {
    return health('Progressing', `Waiting for rollout to finish: ${current - updated} old replicas are pending termination...`);
  }
  if (available < updated) {
    return health('Progressing', `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`);
  }
  return health('Healthy');
}
