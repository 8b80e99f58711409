// CustomResourceDefinition: its custom resources can be applied once it is Established.
// We follow kstatus: not yet Established is Progressing (the API server takes a moment);
// gitops-engine calls it Degraded, which would fail a wave that only had to wait.
// Rejected names will not fix themselves: Degraded, in both.
import type { KubeObject } from '../object.ts';
import { conditionOf } from './fields.ts';
import { health, type Health } from './status.ts';

export function crdHealth(object: KubeObject): Health {
  const names = conditionOf(object, 'NamesAccepted');
  if (names?.status === 'False') return health('Degraded', `CRD names have not been accepted: ${names.message ?? names.reason ?? ''}`.trim());
  const terminating = conditionOf(object, 'Terminating');
  if (terminating?.status === 'True') return health('Progressing', 'CRD is being terminated');
  const established = conditionOf(object, 'Established');
  if (established?.status === 'True') return health('Healthy');
  return health('Progressing', established?.message ? `CRD is not established yet: ${established.message}` : 'CRD is not established yet');
}
