// Ingress: ready once the controller published an address (gitops-engine). Controllers
// that never write status (some are configured not to) leave it Progressing, as in Argo CD.
import type { KubeObject } from '../object.ts';
import { hasLoadBalancerAddress } from './service.ts';
import { health, type Health } from './status.ts';

export function ingressHealth(object: KubeObject): Health {
  return hasLoadBalancerAddress(object) ? health('Healthy') : health('Progressing', 'Waiting for the ingress controller to publish an address');
}
