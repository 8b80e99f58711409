// DaemonSet: kubectl rollout status's rules, as gitops-engine applies them.
import type { KubeObject } from '../object.ts';
import { generationOf, numberAt, observedGenerationOf, record, spec, status, stringAt } from './fields.ts';
import { health, type Health } from './status.ts';

export function daemonSetHealth(object: KubeObject): Health {
  const observed = status(object);
  const name = object.metadata.name;
  if ((observedGenerationOf(object) ?? 0) < generationOf(object)) {
    return health('Progressing', 'Waiting for rollout to finish: observed daemon set generation less than desired generation');
  }
  const desiredCount = numberAt(observed, 'desiredNumberScheduled', 0);
  const updated = numberAt(observed, 'updatedNumberScheduled', 0);
  const available = numberAt(observed, 'numberAvailable', 0);
  // OnDelete: pods change only when someone deletes them, so there is no rollout to wait for.
  if (stringAt(record(spec(object).updateStrategy), 'type') === 'OnDelete') {
    return health('Healthy', `daemon set ${updated} out of ${desiredCount} new pods have been updated`);
  }
  if (updated < desiredCount) {
    return health('Progressing', `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desiredCount} new pods have been updated...`);
  }
  if (available < desiredCount) {
    return health('Progressing', `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desiredCount} updated pods are available...`);
  }
  return health('Healthy');
}
