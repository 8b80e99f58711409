// StatefulSet: kubectl rollout status's rules, as gitops-engine applies them, plus two
// checks gitops-engine skips. Because the API server defaults rollingUpdate.partition to 0,
// gitops-engine and kstatus both end in their partition branch and never compare
// currentRevision with updateRevision; we do, when no partition holds pods back, since the
// controller moves currentRevision only once every pod runs the new revision and is ready.
// From kstatus we take "more pods than wanted" (a scale-down still terminating).
import type { KubeObject } from '../object.ts';
import { generationOf, numberAt, observedGenerationOf, record, spec, status, stringAt } from './fields.ts';
import { health, type Health } from './status.ts';

export function statefulSetHealth(object: KubeObject): Health {
  const desired = spec(object);
  const observed = status(object);
  const observedGeneration = observedGenerationOf(object) ?? 0;
  if (observedGeneration === 0 || observedGeneration < generationOf(object)) {
    return health('Progressing', 'Waiting for statefulset spec update to be observed...');
  }
  const replicas = numberAt(desired, 'replicas', 1);
  const ready = numberAt(observed, 'readyReplicas', 0);
  if (ready < replicas) return health('Progressing', `Waiting for ${replicas - ready} pods to be ready...`);

  const strategy = record(desired.updateStrategy);
  // OnDelete: pods change only when someone deletes them, so there is no rollout to wait for.
  if (stringAt(strategy, 'type') === 'OnDelete') return health('Healthy', `statefulset has ${ready} ready pods`);

  const updated = numberAt(observed, 'updatedReplicas', 0);
  const partition = numberAt(record(strategy.rollingUpdate), 'partition', 0);
  if (partition > 0) {
    const wanted = Math.max(replicas - partition, 0);
    if (updated < wanted) {
      return health('Progressing', `Waiting for partitioned roll out to finish: ${updated} out of ${wanted} new pods have been updated...`);
    }
    return health('Healthy', `partitioned roll out complete: ${updated} new pods have been updated...`);
  }
  const current = numberAt(observed, 'replicas', 0);
  if (current > replicas) return health('Progressing', `Waiting for ${current - replicas} pods to be terminated...`);
  const updateRevision = stringAt(observed, 'updateRevision');
  const currentRevision = stringAt(observed, 'currentRevision');
  if (updated < replicas || updateRevision !== currentRevision) {
    return health('Progressing', `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`);
  }
  return health('Healthy', `statefulset rolling update complete ${updated} pods at revision ${currentRevision}...`);
}
