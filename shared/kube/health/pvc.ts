// PersistentVolumeClaim: as gitops-engine and kstatus. A claim on a WaitForFirstConsumer
// storage class (EKS's gp2/gp3 defaults) stays Pending until a pod mounts it, so a wave
// holding only the claim would wait for nothing; the caller should not put such a claim
// in an earlier wave than its pod.
import type { KubeObject } from '../object.ts';
import { status, stringAt } from './fields.ts';
import { health, type Health } from './status.ts';

export function pvcHealth(object: KubeObject): Health {
  const phase = stringAt(status(object), 'phase');
  switch (phase) {
    case 'Bound':
      return health('Healthy');
    case 'Pending':
      return health('Progressing', 'PersistentVolumeClaim is not bound yet');
    case 'Lost':
      return health('Degraded', 'PersistentVolumeClaim lost its volume');
    default:
      return health('Unknown', phase ? `PersistentVolumeClaim phase ${phase}` : 'PersistentVolumeClaim phase not reported');
  }
}
