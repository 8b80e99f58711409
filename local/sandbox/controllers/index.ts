// Runs the simulated controllers: once per generation of each object, the controller's
// status steps are scheduled and written through the status subresource as
// kube-controller-manager, so they bump resourceVersion and reach watchers like any write.
import type { KubeObject } from '../../../shared/kube/object.ts';
import type { Objects } from '../objects.ts';
import type { StoreEvent } from '../store.ts';
import type { Controller } from './controller.ts';
import { daemonSetController } from './daemonset.ts';
import { deploymentController } from './deployment.ts';
import { jobController } from './job.ts';
import { ingressController, serviceController } from './load-balancer.ts';
import { replicaSetController } from './replicaset.ts';
import { statefulSetController } from './statefulset.ts';

export const CONTROLLER_MANAGER = 'kube-controller-manager';

/** A workload carrying this annotation starts rolling out and never becomes ready: for timeout tests. */
export const NEVER_READY_ANNOTATION = 'sandbox.driftless.io/never-ready';

const CONTROLLERS: Controller[] = [deploymentController, replicaSetController, statefulSetController, daemonSetController, jobController, serviceController, ingressController];

export interface Controllers {
  stop(): void;
}

export function startControllers(objects: Objects, readyDelayMs: number): Controllers {
  const timers = new Set<NodeJS.Timeout>();
  const seen = new Set<string>();
  const reached = new Map<string, number>();
  let stopped = false;

  const generationKey = (o: KubeObject) => `${o.metadata.uid}:${o.metadata.generation}`;

  const run = (controller: Controller, object: KubeObject) => {
    const key = generationKey(object);
    const steps = controller.steps(object, readyDelayMs);
    const stuck = object.metadata.annotations?.[NEVER_READY_ANNOTATION] === 'true';
    (stuck ? steps.slice(0, 1) : steps).forEach((step, index) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        // Timers of one object can fire out of order on a busy loop; a step never undoes a later one.
        if (stopped || (reached.get(key) ?? -1) >= index) return;
        reached.set(key, index);
        const type = objects.typeFor(controller.group, controller.resource);
        const current = type && objects.store.get(type.group, type.resource, object.metadata.namespace, object.metadata.name ?? '');
        // A newer generation has its own steps; an older step must not overwrite them.
        if (!type || !current || generationKey(current) !== key) return;
        objects.writeStatus(type, current.metadata.namespace, current.metadata.name ?? '', step.status(current), CONTROLLER_MANAGER);
      }, step.afterMs);
      timers.add(timer);
    });
  };

  const unsubscribe = objects.store.subscribe((event: StoreEvent) => {
    if (event.type === 'DELETED') return;
    const controller = CONTROLLERS.find((c) => c.group === event.group && c.resource === event.resource);
    if (!controller || event.object.metadata.deletionTimestamp) return;
    const key = generationKey(event.object);
    if (seen.has(key)) return;
    seen.add(key);
    run(controller, event.object);
  });

  return {
    stop() {
      stopped = true;
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
