// ReplicaSets: every replica ready and available after the delay.
import { compact, desiredReplicas, type Controller } from './controller.ts';

export const replicaSetController: Controller = {
  group: 'apps',
  resource: 'replicasets',
  steps(_object, readyDelayMs) {
    return [
      {
        afterMs: 0,
        status: (current) =>
          compact({ observedGeneration: current.metadata.generation, replicas: desiredReplicas(current), fullyLabeledReplicas: desiredReplicas(current) }),
      },
      {
        afterMs: readyDelayMs,
        status: (current) => {
          const replicas = desiredReplicas(current);
          return compact({
            observedGeneration: current.metadata.generation,
            replicas,
            fullyLabeledReplicas: replicas,
            readyReplicas: replicas,
            availableReplicas: replicas,
          });
        },
      },
    ];
  },
};
