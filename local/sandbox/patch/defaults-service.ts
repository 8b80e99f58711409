// Service defaults and the addresses a real cluster would allocate. Allocation here is a
// hash of the Service's identity rather than a free-list, so a sandbox shows the same
// clusterIP and nodePorts for the same Service on every run.

import { mapAt, mapsIn, setDefault, stableHash } from './defaults-util.ts';
import type { JsonMap } from './values.ts';

// The two addresses every real cluster gives out the same way.
const WELL_KNOWN_IPS: Record<string, string> = {
  'default/kubernetes': '10.96.0.1',
  'kube-system/kube-dns': '10.96.0.10',
};

const NODE_PORT_BASE = 30000;
const NODE_PORT_COUNT = 2768;

export function defaultService(spec: JsonMap, namespace: string, name: string): void {
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'ClientIP') {
    setDefault(mapAt(mapAt(spec, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds', 10800);
  }
  const ports = mapsIn(spec.ports);
  for (const port of ports) {
    setDefault(port, 'protocol', 'TCP');
    setDefault(port, 'targetPort', port.port);
  }
  if (spec.type === 'ExternalName') return;

  const given = Array.isArray(spec.clusterIPs) ? spec.clusterIPs[0] : undefined;
  setDefault(spec, 'clusterIP', given ?? clusterIpFor(namespace, name));
  setDefault(spec, 'clusterIPs', [spec.clusterIP]);
  setDefault(spec, 'ipFamilies', ['IPv4']);
  setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  setDefault(spec, 'internalTrafficPolicy', 'Cluster');

  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') return;
  setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  const taken = new Set(ports.map((port) => port.nodePort).filter((n) => typeof n === 'number'));
  const allocate = (seed: string) => {
    let candidate = NODE_PORT_BASE + (stableHash(`${namespace}/${name}/${seed}`) % NODE_PORT_COUNT);
    while (taken.has(candidate)) candidate = NODE_PORT_BASE + ((candidate - NODE_PORT_BASE + 1) % NODE_PORT_COUNT);
    taken.add(candidate);
    return candidate;
  };
  if (spec.allocateLoadBalancerNodePorts !== false) {
    for (const port of ports) setDefault(port, 'nodePort', allocate(`${port.port}/${port.protocol}`));
  }
  if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    setDefault(spec, 'healthCheckNodePort', allocate('healthz'));
  }
}

/** An address in 10.96.0.0/16 (the default service CIDR), never .0 or .255. */
export function clusterIpFor(namespace: string, name: string): string {
  const known = WELL_KNOWN_IPS[`${namespace}/${name}`];
  if (known) return known;
  const n = stableHash(`${namespace}/${name}`) % (254 * 256);
  // Keep clear of 10.96.0.0/24, where the well-known addresses live.
  const third = Math.max(1, Math.floor(n / 254));
  return `10.96.${third}.${(n % 254) + 1}`;
}
