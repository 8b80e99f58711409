// Deployments: at once "progressing" (observedGeneration caught up, nothing available
// yet), after the delay every replica updated, ready and available, with the conditions
// and reasons `kubectl rollout status` and health checks read.
import type { KubeObject } from '../../../shared/kube/object.ts';
import { compact, condition, desiredReplicas, specOf, statusOf, templateHash, type Controller } from './controller.ts';

function replicaSetName(object: KubeObject): string {
  return `${object.metadata.name}-${templateHash(specOf(object).template)}`;
}

export const deploymentController: Controller = {
  group: 'apps',
  resource: 'deployments',
  steps(object, readyDelayMs) {
    if (specOf(object).paused === true) return [];
    return [
      {
        afterMs: 0,
        status: (current) => {
          const replicas = desiredReplicas(current);
          const available = Math.min(Number(statusOf(current).availableReplicas ?? 0), replicas);
          return compact({
            observedGeneration: current.metadata.generation,
            replicas,
            updatedReplicas: 0,
            readyReplicas: available,
            availableReplicas: available,
            unavailableReplicas: replicas - available,
            conditions: [
              condition(
                current,
                {
                  type: 'Available',
                  status: available > 0 || replicas === 0 ? 'True' : 'False',
                  reason: available > 0 || replicas === 0 ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
                  message: available > 0 || replicas === 0 ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
                },
                true,
              ),
              condition(
                current,
                { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${replicaSetName(current)}" is progressing.` },
                true,
              ),
            ],
          });
        },
      },
      {
        afterMs: readyDelayMs,
        status: (current) => {
          const replicas = desiredReplicas(current);
          return compact({
            observedGeneration: current.metadata.generation,
            replicas,
            updatedReplicas: replicas,
            readyReplicas: replicas,
            availableReplicas: replicas,
            conditions: [
              condition(
                current,
                { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
                true,
              ),
              condition(
                current,
                {
                  type: 'Progressing',
                  status: 'True',
                  reason: 'NewReplicaSetAvailable',
                  message: `ReplicaSet "${replicaSetName(current)}" has successfully progressed.`,
                },
                true,
              ),
            ],
          });
        },
      },
    ];
  },
};
