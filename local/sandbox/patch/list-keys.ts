// Which lists are merged element by element rather than replaced whole, and by what key.
// Kubernetes reads this from the OpenAPI schema (x-kubernetes-list-type / list-map-keys for
// server-side apply, patchStrategy / patchMergeKey for strategic merge patch); the sandbox
// has no schemas, so the lists that matter in practice are tabled here once for both.
//
// Paths name fields by their JSON names joined with dots, with `[]` after a list field for
// "an element of it": `spec.template.spec.containers[].ports`. A pattern may start with
// `**.` to match at any depth, which covers every pod spec (Pod, templates, CronJob).

export interface ListRule {
  pattern: string;
  /** Only for these kinds (a list with the same name elsewhere is atomic). */
  kinds?: string[];
  /** `map`: elements are objects identified by `keys`; `set`: elements are distinct scalars. */
  type: 'map' | 'set';
  /** Server-side apply's list-map keys. */
  keys: string[];
  /** Values key fields take when an element leaves them out (defaulted keys, as SMD does). */
  keyDefaults?: Record<string, unknown>;
  /** Strategic merge patch's patchMergeKey; absent means the patch replaces the list. */
  mergeKey?: string;
  /** Strategic merge patch merges this list of scalars as a set. */
  mergePrimitives?: boolean;
}

const containerRules = (field: string): ListRule[] => [
  { pattern: `**.${field}`, type: 'map', keys: ['name'], mergeKey: 'name' },
  {
    pattern: `**.${field}[].ports`,
    type: 'map',
    keys: ['containerPort', 'protocol'],
    keyDefaults: { protocol: 'TCP' },
    mergeKey: 'containerPort',
  },
  { pattern: `**.${field}[].resizePolicy`, type: 'map', keys: ['resourceName'] },
  { pattern: `**.${field}[].resources.claims`, type: 'map', keys: ['name'] },
];

export const LIST_RULES: readonly ListRule[] = [
  ...containerRules('containers'),
  ...containerRules('initContainers'),
  ...containerRules('ephemeralContainers'),
  { pattern: '**.env', type: 'map', keys: ['name'], mergeKey: 'name' },
  { pattern: '**.volumeMounts', type: 'map', keys: ['mountPath'], mergeKey: 'mountPath' },
  { pattern: '**.volumeDevices', type: 'map', keys: ['devicePath'], mergeKey: 'devicePath' },
  { pattern: '**.volumes', type: 'map', keys: ['name'], mergeKey: 'name' },
  { pattern: '**.imagePullSecrets', type: 'map', keys: ['name'], mergeKey: 'name' },
  { pattern: '**.hostAliases', type: 'map', keys: ['ip'], mergeKey: 'ip' },
  {
    pattern: '**.topologySpreadConstraints',
    type: 'map',
    keys: ['topologyKey', 'whenUnsatisfiable'],
    mergeKey: 'topologyKey',
  },
  { pattern: '**.resourceClaims', type: 'map', keys: ['name'], mergeKey: 'name' },
  { pattern: '**.schedulingGates', type: 'map', keys: ['name'], mergeKey: 'name' },
  { pattern: '**.conditions', type: 'map', keys: ['type'], mergeKey: 'type' },
  { pattern: 'metadata.finalizers', type: 'set', keys: [], mergePrimitives: true },
  { pattern: 'metadata.ownerReferences', type: 'map', keys: ['uid'], mergeKey: 'uid' },
  {
    pattern: 'spec.ports',
    kinds: ['Service'],
    type: 'map',
    keys: ['port', 'protocol'],
    keyDefaults: { protocol: 'TCP' },
    mergeKey: 'port',
  },
  {
    pattern: 'webhooks',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    type: 'map',
    keys: ['name'],
    mergeKey: 'name',
  },
];

// Maps Kubernetes marks `+structType=atomic` / `+mapType=atomic`: owned and replaced whole.
export const ATOMIC_MAPS: readonly { pattern: string; kinds?: string[] }[] = [
  { pattern: 'spec.selector', kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'Service'] },
  { pattern: '**.podSelector' },
  { pattern: '**.namespaceSelector' },
  { pattern: '**.labelSelector' },
  { pattern: '**.fieldRef' },
  { pattern: '**.resourceFieldRef' },
  { pattern: '**.configMapKeyRef' },
  { pattern: '**.secretKeyRef' },
];

const compiled = LIST_RULES.map((rule) => ({ rule, regex: patternToRegex(rule.pattern) }));
const compiledAtomic = ATOMIC_MAPS.map((entry) => ({ kinds: entry.kinds, regex: patternToRegex(entry.pattern) }));

/** The rule for the list at `path` (see the path notation above) in an object of `kind`. */
export function listRuleFor(kind: string, path: string): ListRule | undefined {
  for (const { rule, regex } of compiled) {
    if (rule.kinds && !rule.kinds.includes(kind)) continue;
    if (regex.test(path)) return rule;
  }
  return undefined;
}

/** Whether the map at `path` is owned and replaced as a whole by server-side apply. */
export function isAtomicMap(kind: string, path: string): boolean {
  return compiledAtomic.some(({ kinds, regex }) => (!kinds || kinds.includes(kind)) && regex.test(path));
}

/** The path of a field inside the value at `parent`. */
export function fieldPath(parent: string, field: string): string {
  return parent === '' ? field : `${parent}.${field}`;
}

/** The path of an element of the list at `parent`. */
export function elementPath(parent: string): string {
  return `${parent}[]`;
}

function patternToRegex(pattern: string): RegExp {
  const anyDepth = pattern.startsWith('**.');
  const rest = anyDepth ? pattern.slice(3) : pattern;
  const escaped = rest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${anyDepth ? '(?:.*\\.)?' : ''}${escaped}$`);
}
