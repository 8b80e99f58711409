// StatefulSets: the update revision rolls out and becomes current after the delay, which
// is what `kubectl rollout status sts/x` waits for.
import type { KubeObject } from '../../../shared/kube/object.ts';
import { compact, desiredReplicas, specOf, statusOf, templateHash, type Controller } from './controller.ts';

function revision(object: KubeObject): string {
  return `${object.metadata.name}-${templateHash(specOf(object).template)}`;
}

export const statefulSetController: Controller = {
  group: 'apps',
  resource: 'statefulsets',
  steps(_object, readyDelayMs) {
    return [
      {
        afterMs: 0,
        status: (current) => {
          const previous = statusOf(current);
          const update = revision(current);
          return compact({
            observedGeneration: current.metadata.generation,
            replicas: desiredReplicas(current),
            currentRevision: (previous.currentRevision as string | undefined) ?? update,
            updateRevision: update,
            collisionCount: 0,
            availableReplicas: 0,
          });
        },
      },
      {
        afterMs: readyDelayMs,
        status: (current) => {
          const replicas = desiredReplicas(current);
          const update = revision(current);
          return {
            ...compact({
              observedGeneration: current.metadata.generation,
              replicas,
              readyReplicas: replicas,
              currentReplicas: replicas,
              updatedReplicas: replicas,
              availableReplicas: replicas,
            }),
            currentRevision: update,
            updateRevision: update,
            collisionCount: 0,
          };
        },
      },
    ];
  },
};
