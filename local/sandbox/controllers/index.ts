// Runs the simulated controllers: once per generation of each object, the controller's
// status steps are scheduled and written through the status subresource as
// kube-controller-manager, so they bump resourceVersion and reach watchers like any write.
import type { KubeObject } from '../../../shared/kube/object.ts';
import type { Objects } from '../objects.ts';
import type { StoreEvent } from '../store.ts';
import { startApiServiceAvailability } from './apiservice.ts';
import type { Controller, StatusStep } from './controller.ts';
import { daemonSetController } from './daemonset.ts';
import { deploymentController } from './deployment.ts';
import { jobController } from './job.ts';
import { ingressController, serviceController } from './load-balancer.ts';
import { replicaSetController } from './replicaset.ts';
import { statefulSetController } from './statefulset.ts';

export const CONTROLLER_MANAGER = 'kube-controller-manager';

/** A workload carrying this annotation starts rolling out and never becomes ready: for timeout tests. */
export const NEVER_READY_ANNOTATION = 'sandbox.driftless.io/never-ready';

const CONTROLLERS: Controller[] = [
  deploymentController,
  replicaSetController,
  statefulSetController,
  daemonSetController,
  jobController,
  serviceController,
  ingressController,
];

export interface Controllers {
  stop(): void;
}

export function startControllers(objects: Objects, readyDelayMs: number): Controllers {
  const timers = new Set<NodeJS.Timeout>();
  /** The last generation each object's steps were started for; an object's entry goes with it, so this is as large as the cluster, not its history. */
  const started = new Map<string, number | undefined>();
  let stopped = false;

  const generationKey = (o: KubeObject) => `${o.metadata.uid}:${o.metadata.generation}`;

  /** Performs `steps` one after another, each at its delay from the start, so none can overtake another. */
  const runSteps = (controller: Controller, object: KubeObject, steps: StatusStep[], elapsedMs = 0) => {
    const [step, ...rest] = steps;
    if (!step) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      const type = objects.registry.typeFor(controller.group, controller.resource);
      const current = type && objects.store.peek(type.group, type.resource, object.metadata.namespace, object.metadata.name ?? '');
      // A newer generation has its own steps; this one's must not overwrite them.
      if (!type || !current || generationKey(current) !== generationKey(object)) return;
      objects.writeStatus(type, current.metadata.namespace, current.metadata.name ?? '', step.status(current), CONTROLLER_MANAGER);
      runSteps(controller, object, rest, step.afterMs);
    }, step.afterMs - elapsedMs);
    timers.add(timer);
  };

  const run = (controller: Controller, object: KubeObject) => {
    const steps = controller.steps(object, readyDelayMs);
    const stuck = object.metadata.annotations?.[NEVER_READY_ANNOTATION] === 'true';
    runSteps(controller, object, stuck ? steps.slice(0, 1) : steps);
  };

  const apiServices = startApiServiceAvailability(objects);
  const unsubscribe = objects.store.subscribe((event: StoreEvent) => {
    const uid = event.object.metadata.uid ?? '';
    if (event.type === 'DELETED') {
      started.delete(uid);
      return;
    }
    const controller = CONTROLLERS.find((c) => c.group === event.group && c.resource === event.resource);
    if (!controller || event.object.metadata.deletionTimestamp) return;
    const generation = event.object.metadata.generation;
    if (started.has(uid) && started.get(uid) === generation) return;
    started.set(uid, generation);
    run(controller, event.object);
  });

  return {
    stop() {
      stopped = true;
      apiServices.stop();
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
