// LoadBalancer Services and Ingresses get an address after the delay, as the AWS load
// balancer controller gives them an ELB hostname on EKS.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../../shared/kube/object.ts';
import { specOf, statusOf, type Controller } from './controller.ts';

function hostname(object: KubeObject): string {
  const id = createHash('sha256')
    .update(object.metadata.uid ?? '')
    .digest('hex')
    .slice(0, 12);
  return `k8s-${object.metadata.namespace}-${object.metadata.name}-${id}.elb.sandbox.local`.slice(0, 253);
}

function hasAddress(object: KubeObject): boolean {
  const ingress = (statusOf(object).loadBalancer as { ingress?: unknown[] } | undefined)?.ingress;
  return Array.isArray(ingress) && ingress.length > 0;
}

const address = (current: KubeObject) => ({ ...statusOf(current), loadBalancer: { ingress: [{ hostname: hostname(current) }] } });

export const serviceController: Controller = {
  group: '',
  resource: 'services',
  steps(object, readyDelayMs) {
    if (specOf(object).type !== 'LoadBalancer' || hasAddress(object)) return [];
    return [{ afterMs: readyDelayMs, status: address }];
  },
};

export const ingressController: Controller = {
  group: 'networking.k8s.io',
  resource: 'ingresses',
  steps(object, readyDelayMs) {
    if (hasAddress(object)) return [];
    return [{ afterMs: readyDelayMs, status: address }];
  },
};
