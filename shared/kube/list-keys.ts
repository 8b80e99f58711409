// Which lists in Kubernetes objects are associative ("list-map"), and by which keys: the
// `x-kubernetes-list-map-keys` / `patchMergeKey` of the built-in schemas, for the lists that
// appear in real manifests. Lists not named here are atomic: compared and replaced whole.

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

const BY_FIELD: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  resourceClaims: ['name'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  conditions: ['type'],
};

/**
 * The keys of the list at `segments` (field names from the object root, `[]` for a list
 * item), or undefined when the list is atomic.
 */
export function listKeyFor(segments: readonly string[]): string[] | undefined {
  const field = segments[segments.length - 1];
  if (field === 'ports') {
    // Container ports are keyed by port and protocol; a Service's by port and protocol too.
    if (segments[segments.length - 2] === '[]' && CONTAINER_LISTS.has(segments[segments.length - 3] ?? '')) return ['containerPort', 'protocol'];
    if (segments.length === 2 && segments[0] === 'spec') return ['port', 'protocol'];
    return undefined;
  }
  return BY_FIELD[field];
}
