// Health of a live object: one check per kind (gitops-engine's set, matched on group and
// kind), kstatus's generic rules for everything else. Pure: the caller fetched the object.
import { describeObject, groupOf, type KubeObject } from '../object.ts';
import { apiServiceHealth } from './apiservice.ts';
import { crdHealth } from './crd.ts';
import { cronJobHealth } from './cronjob.ts';
import { daemonSetHealth } from './daemonset.ts';
import { deploymentHealth } from './deployment.ts';
import { genericHealth } from './generic.ts';
import { hpaHealth } from './hpa.ts';
import { ingressHealth } from './ingress.ts';
import { jobHealth } from './job.ts';
import { podHealth } from './pod.ts';
import { pvcHealth } from './pvc.ts';
import { replicaSetHealth } from './replicaset.ts';
import { serviceHealth } from './service.ts';
import { statefulSetHealth } from './statefulset.ts';
import { health, type Health } from './status.ts';

export { HEALTH_STATUSES, type Health, type HealthStatus } from './status.ts';

type Check = (object: KubeObject) => Health;

const CHECKS = new Map<string, Check>([
  ['apps/Deployment', deploymentHealth],
  ['extensions/Deployment', deploymentHealth],
  ['apps/StatefulSet', statefulSetHealth],
  ['apps/DaemonSet', daemonSetHealth],
  ['extensions/DaemonSet', daemonSetHealth],
  ['apps/ReplicaSet', replicaSetHealth],
  ['extensions/ReplicaSet', replicaSetHealth],
  ['batch/Job', jobHealth],
  ['batch/CronJob', cronJobHealth],
  ['/Pod', podHealth],
  ['/PersistentVolumeClaim', pvcHealth],
  ['/Service', serviceHealth],
  ['networking.k8s.io/Ingress', ingressHealth],
  ['extensions/Ingress', ingressHealth],
  ['apiextensions.k8s.io/CustomResourceDefinition', crdHealth],
  ['apiregistration.k8s.io/APIService', apiServiceHealth],
  ['autoscaling/HorizontalPodAutoscaler', hpaHealth],
]);

export function assessHealth(object: KubeObject): Health {
  // Whatever the kind, an object on its way out is not done (gitops-engine; kstatus's
  // Terminating), and finalizers can keep it there for a while.
  if (object.metadata.deletionTimestamp) return health('Progressing', 'Pending deletion');
  const check = CHECKS.get(`${groupOf(object.apiVersion)}/${object.kind}`) ?? genericHealth;
  return check(object);
}

/** For the caller that looked for an object and did not find it. */
export function missingHealth(object: Pick<KubeObject, 'kind' | 'metadata'>): Health {
  return health('Missing', `${describeObject(object)} does not exist`);
}
