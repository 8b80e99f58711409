// Service: a LoadBalancer is ready once the cloud has given it an address (gitops-engine;
// kstatus only checks for a cluster IP, which says nothing about the load balancer).
import type { KubeObject } from '../object.ts';
import { record, spec, status } from './fields.ts';
import { health, type Health } from './status.ts';

export function serviceHealth(object: KubeObject): Health {
  if (spec(object).type !== 'LoadBalancer') return health('Healthy');
  return hasLoadBalancerAddress(object) ? health('Healthy') : health('Progressing', 'Waiting for the load balancer to get an address');
}

export function hasLoadBalancerAddress(object: KubeObject): boolean {
  const ingress = record(status(object).loadBalancer).ingress;
  return Array.isArray(ingress) && ingress.length > 0;
}
