// The aggregator's availability controller (kube-aggregator pkg/controllers/status,
// AvailableConditionController): every APIService carries an `Available` condition. A local
// one (no spec.service) is Available at once; the API server sets that on create already
// (../initial-status.ts). A remote one is Available when the Service it names exists, and
// not Available ("ServiceNotFound") while it does not; it is re-checked whenever such a
// Service comes or goes. The sandbox does not proxy to the Service: it checks that it
// exists, not that something answers behind it, and the group it announces is not served.
import type { KubeObject } from '../../../shared/kube/object.ts';
import type { Objects } from '../objects.ts';
import type { StoreEvent } from '../store.ts';
import { condition, statusOf, type Condition } from './controller.ts';

const GROUP = 'apiregistration.k8s.io';
const RESOURCE = 'apiservices';
/** The availability controller runs inside kube-apiserver. */
const MANAGER = 'kube-apiserver';

interface ServiceReference {
  namespace?: string;
  name?: string;
}

function serviceOf(apiService: KubeObject): ServiceReference | undefined {
  const service = (apiService.spec as { service?: ServiceReference | null } | undefined)?.service;
  return service ?? undefined;
}

/** The Available condition the controller would write, in its own words. */
export function availability(apiService: KubeObject, serviceExists: (namespace: string, name: string) => boolean): Omit<Condition, 'lastTransitionTime'> {
  const service = serviceOf(apiService);
  if (!service) return { type: 'Available', status: 'True', reason: 'Local', message: 'Local APIServices are always available' };
  const namespace = service.namespace ?? '';
  const name = service.name ?? '';
  if (!serviceExists(namespace, name)) {
    return { type: 'Available', status: 'False', reason: 'ServiceNotFound', message: `service/${name} in ${JSON.stringify(namespace)} is not present` };
  }
  return { type: 'Available', status: 'True', reason: 'Passed', message: 'all checks passed' };
}

export interface Reconciler {
  stop(): void;
}

export function startApiServiceAvailability(objects: Objects): Reconciler {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const serviceExists = (namespace: string, name: string) => objects.store.peek('', 'services', namespace, name) !== undefined;

  const reconcile = (name: string) => {
    const type = objects.registry.typeFor(GROUP, RESOURCE);
    const current = type && objects.store.get(GROUP, RESOURCE, undefined, name);
    if (!type || !current || current.metadata.deletionTimestamp) return;
    const wanted = availability(current, serviceExists);
    const conditions = (statusOf(current).conditions ?? []) as Condition[];
    const present = conditions.find((c) => c.type === 'Available');
    if (present && present.status === wanted.status && present.reason === wanted.reason && present.message === wanted.message) return;
    const others = conditions.filter((c) => c.type !== 'Available');
    objects.writeStatus(type, undefined, name, { ...statusOf(current), conditions: [...others, condition(current, wanted)] }, MANAGER);
  };

  // Later, not inside the store's notification: a status write is itself a store change.
  const later = (name: string) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) reconcile(name);
    }, 0);
    timers.add(timer);
  };

  const unsubscribe = objects.store.subscribe((event: StoreEvent) => {
    if (event.group === GROUP && event.resource === RESOURCE) {
      if (event.type !== 'DELETED') later(event.object.metadata.name ?? '');
      return;
    }
    if (event.group !== '' || event.resource !== 'services' || event.type === 'MODIFIED') return;
    for (const apiService of objects.store.list(GROUP, RESOURCE)) {
      const service = serviceOf(apiService);
      if (service?.namespace === event.object.metadata.namespace && service?.name === event.object.metadata.name) later(apiService.metadata.name ?? '');
    }
  });

  for (const apiService of objects.store.list(GROUP, RESOURCE)) later(apiService.metadata.name ?? '');

  return {
    stop() {
      stopped = true;
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
