// Which lists in Kubernetes objects are associative, and by which keys: the
// `x-kubernetes-list-type` / `x-kubernetes-list-map-keys` (server-side apply) and
// `patchStrategy` / `patchMergeKey` (strategic merge patch) of the built-in schemas, for the
// lists that appear in real manifests. Lists not named here are atomic: compared and
// replaced whole. Drift comparison (./compare.ts) reads it; the sandbox keeps its own
// schema (local/sandbox/schema/), and test/kube/list-keys-match-kubernetes.test.ts holds
// this table to it.
//
// A pattern names fields from the object root joined with dots, with `[]` after a list
// field for "an element of it": `spec.template.spec.containers[].ports`. A pattern may start
// with `**.` to match at any depth, which covers every pod spec (Pod, templates, CronJob).

export interface ListRule {
  pattern: string;
  /** Only for these kinds (a list with the same name elsewhere is atomic). */
  kinds?: string[];
  /** Not for these kinds, whose list of that name Kubernetes keys otherwise. */
  exceptKinds?: string[];
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
  /**
   * `false`: drift comparison still compares this list item by item in order. Matching it
   * by key there would change the paths drift reports, so that is a change of its own.
   */
  drift?: false;
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
  { pattern: `**.${field}[].resources.claims`, type: 'map', keys: ['name'], drift: false },
];

export const LIST_RULES: readonly ListRule[] = [
  ...containerRules('containers'),
  ...containerRules('initContainers'),
  ...containerRules('ephemeralContainers'),
  { pattern: '**.env', type: 'map', keys: ['name'], mergeKey: 'name' },
  { pattern: '**.volumeMounts', type: 'map', keys: ['mountPath'], mergeKey: 'mountPath' },
  { pattern: '**.volumeDevices', type: 'map', keys: ['devicePath'], mergeKey: 'devicePath' },
  { pattern: '**.volumes', type: 'map', keys: ['name'], mergeKey: 'name' },
  // A pod spec's; a ServiceAccount's top-level imagePullSecrets is atomic.
  { pattern: '**.spec.imagePullSecrets', type: 'map', keys: ['name'], mergeKey: 'name' },
  { pattern: '**.hostAliases', type: 'map', keys: ['ip'], mergeKey: 'ip' },
  {
    pattern: '**.topologySpreadConstraints',
    type: 'map',
    keys: ['topologyKey', 'whenUnsatisfiable'],
    mergeKey: 'topologyKey',
  },
  { pattern: '**.resourceClaims', type: 'map', keys: ['name'], mergeKey: 'name' },
  { pattern: '**.schedulingGates', type: 'map', keys: ['name'], mergeKey: 'name', drift: false },
  // A Job's status.conditions is atomic for server-side apply (batch/v1 `+listType=atomic`).
  { pattern: '**.conditions', exceptKinds: ['Job', 'CustomResourceDefinition', 'ValidatingAdmissionPolicy'], type: 'map', keys: ['type'], mergeKey: 'type' },
  // A CRD's and a ValidatingAdmissionPolicy's conditions are keyed by type but carry no patch merge key.
  { pattern: 'status.conditions', kinds: ['CustomResourceDefinition', 'ValidatingAdmissionPolicy'], type: 'map', keys: ['type'], drift: false },
  { pattern: 'metadata.finalizers', type: 'set', keys: [], mergePrimitives: true },
  { pattern: 'metadata.ownerReferences', type: 'map', keys: ['uid'], mergeKey: 'uid', drift: false },
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
    drift: false,
  },
];

/** A parsed pattern: the field names it ends with, and whether anything may come before them. */
export interface PathPattern {
  segments: readonly string[];
  anyDepth: boolean;
}

/** `**.containers[].ports` → `{ segments: ['containers', '[]', 'ports'], anyDepth: true }`. */
export function parsePattern(pattern: string): PathPattern {
  const anyDepth = pattern.startsWith('**.');
  return { segments: pathSegments(anyDepth ? pattern.slice(3) : pattern), anyDepth };
}

/** `spec.containers[].ports` → `['spec', 'containers', '[]', 'ports']`. */
export function pathSegments(path: string): string[] {
  return path.split('.').flatMap((field) => {
    let name = field;
    let elements = 0;
    while (name.endsWith('[]')) {
      name = name.slice(0, -2);
      elements++;
    }
    return [name, ...Array<string>(elements).fill('[]')];
  });
}

/** Whether `segments` (field names from the root, `[]` for a list element) match `pattern`. */
export function patternMatches(pattern: PathPattern, segments: readonly string[]): boolean {
  const offset = segments.length - pattern.segments.length;
  if (offset < 0 || (!pattern.anyDepth && offset !== 0)) return false;
  return pattern.segments.every((segment, index) => segments[offset + index] === segment);
}

const compiled = LIST_RULES.map((rule) => ({ rule, pattern: parsePattern(rule.pattern) }));
const compiledForDrift = compiled.filter(({ rule }) => rule.drift !== false);

/**
 * The rule for the list at `segments` (field names from the object root, `[]` for a list
 * element) in an object of `kind`; without a kind, rules for particular kinds apply to all.
 */
export function listRuleFor(segments: readonly string[], kind?: string): ListRule | undefined {
  return ruleIn(compiled, segments, kind);
}

/**
 * The keys drift comparison matches the items of the list at `segments` by, with the values
 * absent keys default to, or undefined when it compares the list item by item.
 */
export function listKeyFor(segments: readonly string[]): Pick<ListRule, 'keys' | 'keyDefaults'> | undefined {
  const rule = ruleIn(compiledForDrift, segments, undefined);
  return rule?.type === 'map' ? rule : undefined;
}

function ruleIn(rules: typeof compiled, segments: readonly string[], kind: string | undefined): ListRule | undefined {
  for (const { rule, pattern } of rules) {
    if (kind !== undefined && rule.kinds && !rule.kinds.includes(kind)) continue;
    if (kind !== undefined && rule.exceptKinds?.includes(kind)) continue;
    if (patternMatches(pattern, segments)) return rule;
  }
  return undefined;
}
