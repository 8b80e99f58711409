import { describe, expect, it } from 'vitest';
import { assessHealth } from '../../../shared/kube/health/index.ts';
import { live } from './objects.ts';

const address = { loadBalancer: { ingress: [{ hostname: 'k8s-shop-web-0123.elb.eu-west-1.amazonaws.com' }] } };

describe('Service health', () => {
  it.each([
    ['ClusterIP', { type: 'ClusterIP' }, undefined, 'Healthy'],
    ['no type (ClusterIP)', {}, undefined, 'Healthy'],
    ['LoadBalancer waiting for an address', { type: 'LoadBalancer' }, { loadBalancer: {} }, 'Progressing'],
    ['LoadBalancer with an empty ingress list', { type: 'LoadBalancer' }, { loadBalancer: { ingress: [] } }, 'Progressing'],
    ['LoadBalancer with an address', { type: 'LoadBalancer' }, address, 'Healthy'],
  ])('%s → %s', (_, spec, status, expected) => {
    expect(assessHealth(live('v1', 'Service', { spec, status })).status).toBe(expected);
  });
});

describe('Ingress health', () => {
  it.each([
    ['networking.k8s.io/v1', undefined, 'Progressing'],
    ['networking.k8s.io/v1', address, 'Healthy'],
    ['extensions/v1beta1', address, 'Healthy'],
  ])('%s with status %o → %s', (apiVersion, status, expected) => {
    expect(assessHealth(live(apiVersion, 'Ingress', { spec: { rules: [] }, status })).status).toBe(expected);
  });
});
