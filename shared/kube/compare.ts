// Live against desired, on the fields Git sets. This one comparison serves the sync (skip
// what is already right), `driftless diff` and the drift scan, so they can never disagree.
//
// Only fields present in the desired object count; what the server adds (defaults,
// status, metadata it owns) is not a difference. Values the API server normalises are
// compared after the same normalisation: quantities ("1000m" = "1"), int-or-string
// (8080 = "8080"), and empty values against absent ones.
//
// `ignoreDifferences`, as Argo CD spells and applies it, narrows the comparison for the objects
// a rule names (group and kind, `*` for any; name and namespace when given): `jsonPointers` and
// `jqPathExpressions` remove those fields from both sides before comparing, and
// `managedFieldsManagers` drops differences in fields that one of those managers owns in the
// live object's managedFields (an HPA's `.spec.replicas`, a mutating webhook's sidecar).
import { KubeError } from './errors.ts';
import { listKeyFor } from './list-keys.ts';
import { groupOf, type KubeObject } from './object.ts';

export interface FieldDifference {
  /** Kubernetes field path: `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`. */
  path: string;
  desired: unknown;
  live: unknown;
  /** The same path, structured: how `fieldOwners` finds it in managedFields. */
  elements?: PathElement[];
}

/** A step of a field path: a map field, an associative list item by its keys, or a list index. */
export type PathElement = { field: string } | { key: Record<string, unknown> } | { index: number };

/** One entry of Argo CD's `spec.ignoreDifferences` (structurally the config's IgnoreDifference). */
export interface IgnoreRule {
  /** `''` or absent is the core group, as in Argo CD; `*` matches any. */
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

export interface CompareOptions {
  ignoreDifferences?: readonly IgnoreRule[];
}

/** metadata fields that Git may set; the rest of metadata belongs to the server. */
const COMPARED_METADATA = new Set(['labels', 'annotations', 'finalizers', 'ownerReferences']);
const QUANTITY_PARENTS = new Set(['limits', 'requests', 'capacity', 'hard', 'allocatable', 'storage']);

export function compareObjects(desired: KubeObject, live: KubeObject | undefined, options: CompareOptions = {}): FieldDifference[] {
  if (!live) return [{ path: '.', desired, live: undefined, elements: [] }];
  const rules = (options.ignoreDifferences ?? []).filter((rule) => ruleMatches(rule, desired));
  let wanted = normalizeDesired(desired);
  let current = live;
  const pointers = rules.flatMap((rule) => rule.jsonPointers ?? []);
  const expressions = rules.flatMap((rule) => rule.jqPathExpressions ?? []);
  if (pointers.length > 0 || expressions.length > 0) {
    wanted = withoutPaths(wanted, pointers, expressions);
    current = withoutPaths(live, pointers, expressions);
  }
  const differences: FieldDifference[] = [];
  for (const [key, value] of Object.entries(wanted)) {
    if (key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      for (const [field, metaValue] of Object.entries(value as Record<string, unknown>)) {
        if (COMPARED_METADATA.has(field)) compareValue(metaValue, (current.metadata as Record<string, unknown>)[field], `.metadata.${field}`, ['metadata', field], [{ field: 'metadata' }, { field }], differences);
      }
      continue;
    }
    compareValue(value, current[key], `.${key}`, [key], [{ field: key }], differences);
  }
  const managers = new Set(rules.flatMap((rule) => rule.managedFieldsManagers ?? []));
  if (managers.size === 0) return differences;
  return differences.filter((difference) => !fieldOwners(live, difference.elements ?? []).some((owner) => managers.has(owner.manager)));
}

/** Secrets are written with stringData but read back as base64 data. */
function normalizeDesired(desired: KubeObject): KubeObject {
  if (desired.kind !== 'Secret' || !desired.stringData) return desired;
  const { stringData, ...rest } = desired;
  const data = { ...((rest.data as Record<string, string>) ?? {}) };
  for (const [key, value] of Object.entries(stringData as Record<string, string>)) data[key] = Buffer.from(String(value)).toString('base64');
  return { ...rest, data } as KubeObject;
}

function compareValue(desired: unknown, live: unknown, path: string, segments: string[], elements: PathElement[], out: FieldDifference[]): void {
  if (isEmpty(desired) && isEmpty(live)) return;
  if (Array.isArray(desired)) {
    compareList(desired, live, path, segments, elements, out);
    return;
  }
  if (isMap(desired)) {
    if (!isMap(live)) {
      out.push({ path, desired, live, elements });
      return;
    }
    for (const [key, value] of Object.entries(desired)) compareValue(value, live[key], `${path}.${key}`, [...segments, key], [...elements, { field: key }], out);
    return;
  }
  if (!scalarsEqual(desired, live, segments)) out.push({ path, desired, live, elements });
}

function compareList(desired: unknown[], live: unknown, path: string, segments: string[], elements: PathElement[], out: FieldDifference[]): void {
  if (!Array.isArray(live)) {
    out.push({ path, desired, live, elements });
    return;
  }
  const keys = listKeyFor(segments);
  if (keys && desired.every(isMap) && live.every(isMap)) {
    // Associative list: match items by their keys, ignore order and items Git does not list.
    for (const item of desired as Array<Record<string, unknown>>) {
      const match = (live as Array<Record<string, unknown>>).find((candidate) => keys.every((key) => keyEqual(item[key], candidate[key], key)));
      const label = keys.map((key) => `${key}=${JSON.stringify(item[key] ?? defaultKeyValue(key))}`).join(',');
      const key = Object.fromEntries(keys.map((name) => [name, (match ?? item)[name] ?? defaultKeyValue(name)]).filter(([, value]) => value !== undefined));
      if (!match) out.push({ path: `${path}[${label}]`, desired: item, live: undefined, elements: [...elements, { key }] });
      else compareValue(item, match, `${path}[${label}]`, [...segments, '[]'], [...elements, { key }], out);
    }
    return;
  }
  if (desired.length !== live.length) {
    out.push({ path, desired, live, elements });
    return;
  }
  desired.forEach((item, index) => compareValue(item, live[index], `${path}[${index}]`, [...segments, '[]'], [...elements, { index }], out));
}

/** `protocol` is defaulted to TCP by the server: absent in Git means TCP. */
function defaultKeyValue(key: string): unknown {
  return key === 'protocol' ? 'TCP' : undefined;
}

function keyEqual(desired: unknown, live: unknown, key: string): boolean {
  return scalarsEqual(desired ?? defaultKeyValue(key), live ?? defaultKeyValue(key), [key]);
}

function scalarsEqual(desired: unknown, live: unknown, segments: string[]): boolean {
  if (desired === live) return true;
  if (desired === null || desired === undefined || live === null || live === undefined) return isEmpty(desired) && isEmpty(live);
  if ((typeof desired === 'number' || typeof desired === 'string') && (typeof live === 'number' || typeof live === 'string')) {
    if (String(desired) === String(live)) return true;
    if (QUANTITY_PARENTS.has(segments[segments.length - 2] ?? '') || segments[segments.length - 1] === 'storage') {
      const a = parseQuantity(desired);
      const b = parseQuantity(live);
      return a !== undefined && b !== undefined && Math.abs(a - b) <= Math.abs(a) * 1e-9;
    }
  }
  return false;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isMap(value)) return Object.keys(value).length === 0;
  return false;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SUFFIXES: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A Kubernetes resource quantity ("500m", "1Gi", "1e3") as a number, or undefined. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') return value;
  const match = /^([+-]?[0-9.]+)(?:[eE]([+-]?[0-9]+))?([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return undefined;
  const multiplier = SUFFIXES[match[3]];
  if (multiplier === undefined) return undefined;
  const base = Number(match[1]) * (match[2] ? 10 ** Number(match[2]) : 1);
  return Number.isFinite(base) ? base * multiplier : undefined;
}

/**
 * The live object cut down to the fields the desired object sets (list items matched by
 * their keys), so a diff of the two shows only what Git cares about.
 */
export function projectLive(desired: KubeObject, live: KubeObject): KubeObject {
  const wanted = normalizeDesired(desired);
  const projected: Record<string, unknown> = { apiVersion: live.apiVersion, kind: live.kind };
  const metadata: Record<string, unknown> = { name: live.metadata.name };
  if (live.metadata.namespace) metadata.namespace = live.metadata.namespace;
  for (const field of Object.keys(wanted.metadata ?? {})) {
    if (COMPARED_METADATA.has(field)) {
      const value = project((wanted.metadata as Record<string, unknown>)[field], (live.metadata as Record<string, unknown>)[field], ['metadata', field]);
      if (value !== undefined) metadata[field] = value;
    }
  }
  projected.metadata = metadata;
  for (const [key, value] of Object.entries(wanted)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata' || key === 'status') continue;
    const value2 = project(value, live[key], [key]);
    if (value2 !== undefined) projected[key] = value2;
  }
  return projected as KubeObject;
}

function project(desired: unknown, live: unknown, segments: string[]): unknown {
  if (live === undefined) return undefined;
  if (Array.isArray(desired) && Array.isArray(live)) {
    const keys = listKeyFor(segments);
    if (keys && desired.every(isMap) && live.every(isMap)) {
      const items = live as Array<Record<string, unknown>>;
      return (desired as Array<Record<string, unknown>>)
        .map((item) => {
          const match = items.find((candidate) => keys.every((key) => keyEqual(item[key], candidate[key], key)));
          return match && project(item, match, [...segments, '[]']);
        })
        .filter((item) => item !== undefined);
    }
    return live.map((item, index) => (index < desired.length ? project(desired[index], item, [...segments, '[]']) : item));
  }
  if (isMap(desired) && isMap(live)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(desired)) {
      const value = project(desired[key], live[key], [...segments, key]);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  // Report the live value in the desired value's spelling when they are equal after normalisation.
  return scalarsEqual(desired, live, segments) ? desired : live;
}

/** Argo CD's match: group and kind exactly or `*`, name and namespace when the rule gives them. */
function ruleMatches(rule: IgnoreRule, object: KubeObject): boolean {
  const glob = (pattern: string | undefined, value: string) => pattern === '*' || (pattern ?? '') === value;
  return (
    glob(rule.group, groupOf(object.apiVersion)) &&
    glob(rule.kind, object.kind) &&
    (!rule.name || rule.name === object.metadata.name) &&
    (!rule.namespace || rule.namespace === (object.metadata.namespace ?? ''))
  );
}

// ---------------------------------------------------------------------------------------------
// Removing ignored fields (jsonPointers, jqPathExpressions) from a copy of an object.

type Concrete = Array<string | number>;

function withoutPaths(object: KubeObject, pointers: string[], expressions: string[]): KubeObject {
  const copy = structuredClone(object);
  const paths: Concrete[] = [...pointers.map(parsePointer), ...expressions.flatMap((expression) => jqPaths(copy, expression))];
  // Deepest and highest indices first, so removing one path never shifts another.
  paths.sort((a, b) => b.length - a.length || compareConcrete(b, a));
  for (const path of paths) removeAt(copy, path);
  return copy;
}

function compareConcrete(a: Concrete, b: Concrete): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    return typeof a[i] === 'number' && typeof b[i] === 'number' ? (a[i] as number) - (b[i] as number) : String(a[i]).localeCompare(String(b[i]));
  }
  return a.length - b.length;
}

/** RFC 6901: `/spec/template/spec/containers/0/image`, `~1` for `/`, `~0` for `~`. */
function parsePointer(pointer: string): Concrete {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new KubeError(`ignoreDifferences: JSON pointer ${JSON.stringify(pointer)} must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function removeAt(root: unknown, path: Concrete): void {
  if (path.length === 0) return;
  let node: unknown = root;
  for (const step of path.slice(0, -1)) {
    node = childOf(node, step);
    if (node === undefined) return;
  }
  const last = path[path.length - 1];
  if (Array.isArray(node)) {
    const index = Number(last);
    if (Number.isInteger(index) && index >= 0 && index < node.length) node.splice(index, 1);
  } else if (isMap(node)) {
    delete node[String(last)];
  }
}

function childOf(node: unknown, step: string | number): unknown {
  if (Array.isArray(node)) return node[Number(step)];
  if (isMap(node)) return node[String(step)];
  return undefined;
}

/**
 * The concrete paths a jq path expression selects, for the subset Argo CD users write:
 * `.a.b`, `.["a/b"]`, `.a[]`, `.a[0]`, pipes, and `select(PATH == LITERAL)` / `!=`, e.g.
 * `.spec.template.spec.initContainers[] | select(.name == "istio-init")`.
 */
function jqPaths(root: unknown, expression: string): Concrete[] {
  let current: Concrete[] = [[]];
  for (const stage of splitPipes(expression)) {
    const select = /^select\((.*)\)$/s.exec(stage);
    if (select) {
      const condition = /^(.*?)\s*(==|!=)\s*(.+)$/s.exec(select[1].trim());
      if (!condition) throw unsupportedJq(expression);
      const path = parseJqPath(condition[1].trim(), expression);
      let literal: unknown;
      try {
        literal = JSON.parse(condition[3].trim());
      } catch {
        throw unsupportedJq(expression);
      }
      current = current.filter((base) => {
        const values = expand(valueAt(root, base), path).map((relative) => valueAt(valueAt(root, base), relative));
        const equal = values.some((value) => value === literal);
        return condition[2] === '==' ? equal : !equal;
      });
      continue;
    }
    const steps = parseJqPath(stage, expression);
    current = current.flatMap((base) => expand(valueAt(root, base), steps).map((relative) => [...base, ...relative]));
  }
  return current.filter((path) => path.length > 0);
}

type JqStep = { name: string } | { index: number } | { each: true };

function parseJqPath(text: string, expression: string): JqStep[] {
  const steps: JqStep[] = [];
  let rest = text.trim();
  if (rest === '.') return steps;
  while (rest.length > 0) {
    let match: RegExpExecArray | null;
    if ((match = /^\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest))) steps.push({ name: match[1] });
    else if ((match = /^\.?\[\s*("(?:[^"\\]|\\.)*")\s*\]/.exec(rest))) steps.push({ name: JSON.parse(match[1]) as string });
    else if ((match = /^\.?\[\s*(\d+)\s*\]/.exec(rest))) steps.push({ index: Number(match[1]) });
    else if ((match = /^\.?\[\s*\]/.exec(rest))) steps.push({ each: true });
    else throw unsupportedJq(expression);
    rest = rest.slice(match[0].length).trim();
  }
  return steps;
}

function expand(value: unknown, steps: JqStep[]): Concrete[] {
  let paths: Array<{ path: Concrete; value: unknown }> = [{ path: [], value }];
  for (const step of steps) {
    paths = paths.flatMap(({ path, value: node }) => {
      if ('name' in step) return isMap(node) && step.name in node ? [{ path: [...path, step.name], value: node[step.name] }] : [];
      if ('index' in step) return Array.isArray(node) && step.index < node.length ? [{ path: [...path, step.index], value: node[step.index] }] : [];
      if (Array.isArray(node)) return node.map((item, index) => ({ path: [...path, index], value: item }));
      if (isMap(node)) return Object.entries(node).map(([key, item]) => ({ path: [...path, key], value: item }));
      return [];
    });
  }
  return paths.map(({ path }) => path);
}

function valueAt(root: unknown, path: Concrete): unknown {
  let node = root;
  for (const step of path) node = childOf(node, step);
  return node;
}

function splitPipes(expression: string): string[] {
  const stages: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      stages.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  stages.push(expression.slice(start).trim());
  return stages;
}

function unsupportedJq(expression: string): KubeError {
  return new KubeError(`ignoreDifferences: jq path expression ${JSON.stringify(expression)} is not supported (paths, [], [n], pipes and select(PATH == VALUE) are)`);
}

// ---------------------------------------------------------------------------------------------
// Who owns a field: the live object's managedFields, walked along a structured path.

export interface FieldOwner {
  manager: string;
  operation: string;
  /** `scale`, `status`: the subresource the manager wrote through. */
  subresource?: string;
}

/**
 * The managedFields entries of `live` that own the field at `elements` (or the whole of
 * what is below it, for a map or list that differs as a whole, or the atomic value above it).
 * A field Git sets but nobody owns any more (someone removed it) has no owner.
 */
export function fieldOwners(live: KubeObject, elements: readonly PathElement[]): FieldOwner[] {
  const owners: FieldOwner[] = [];
  for (const entry of live.metadata.managedFields ?? []) {
    if (ownsPath(entry.fieldsV1, elements)) owners.push({ manager: entry.manager, operation: entry.operation, ...(entry.subresource ? { subresource: entry.subresource } : {}) });
  }
  return owners;
}

function ownsPath(fields: unknown, elements: readonly PathElement[]): boolean {
  let node: unknown = fields;
  for (const element of elements) {
    if (!isMap(node)) return false;
    // A leaf owns its whole value: an atomic list or map, or a scalar.
    if (Object.keys(node).length === 0 && node !== fields) return true;
    if ('index' in element) return true; // a list compared by position: whoever owns any of it
    const child = 'field' in element ? node[`f:${element.field}`] : Object.entries(node).find(([name]) => keyMatches(name, element.key))?.[1];
    if (child === undefined) return false;
    node = child;
  }
  return isMap(node);
}

function keyMatches(name: string, key: Record<string, unknown>): boolean {
  if (!name.startsWith('k:')) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(name.slice(2));
  } catch {
    return false;
  }
  if (!isMap(parsed)) return false;
  const names = Object.keys(key);
  return names.length === Object.keys(parsed).length && names.every((field) => String(parsed[field]) === String(key[field]));
}
