// Status the API server writes itself when an object is created, in the registry strategy's
// PrepareForCreate rather than later from a controller. A local APIService (no
// spec.service) is Available from the start (kube-aggregator pkg/registry/apiservice,
// strategy.go); a remote one starts without status until the availability controller has
// checked it (./controllers/apiservice.ts).
import type { KubeObject } from '../../shared/kube/object.ts';
import { availability } from './controllers/apiservice.ts';
import type { ResourceType } from './resources.ts';

export function initialStatus(type: ResourceType, object: KubeObject, now: string): unknown {
  if (type.group !== 'apiregistration.k8s.io' || type.resource !== 'apiservices') return undefined;
  if ((object.spec as { service?: unknown } | undefined)?.service) return undefined;
  return { conditions: [{ ...availability(object, () => false), lastTransitionTime: now }] };
}
