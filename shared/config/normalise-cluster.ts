// Our Cluster → ClusterSpec. Argo CD keeps clusters in Secrets, which do not belong in Git,
// so clusters are only ever ours.
import type { RegistryDocument } from './documents.ts';
import type { OurCluster } from './schemas.ts';
import type { ClusterSpec } from './types.ts';

export function normaliseCluster(raw: OurCluster, document: RegistryDocument): ClusterSpec {
  const spec = raw.spec;
  const cluster: ClusterSpec = {
    name: raw.metadata.name,
    labels: raw.metadata.labels ?? {},
    definedIn: { file: document.file, line: document.line },
  };
  if (raw.metadata.annotations && Object.keys(raw.metadata.annotations).length > 0) cluster.annotations = { ...raw.metadata.annotations };
  if (spec.server !== undefined) cluster.server = normaliseServer(spec.server);
  if (spec.eks) cluster.eks = { ...spec.eks };
  if (spec.kubeconfig) cluster.kubeconfig = { ...spec.kubeconfig };
  if (spec.accessScope)
    cluster.accessScope = spec.accessScope.type === 'cluster' ? { type: 'cluster' } : { type: 'namespace', namespaces: [...spec.accessScope.namespaces] };
  return cluster;
}

/** `HTTPS://Kubernetes.default.svc/` and `https://kubernetes.default.svc` are one server. */
export function normaliseServer(server: string): string {
  const text = server.trim().replace(/\/+$/, '');
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return text.toLowerCase();
  }
}
