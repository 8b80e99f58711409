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
import { fieldOwners, type PathElement } from './field-owners.ts';
import { ruleMatches, withoutPaths, type IgnoreDifference } from './ignore-differences.ts';
import { listKeyFor, type ListRule } from './list-keys.ts';
import type { KubeObject } from './object.ts';

export { fieldOwners, type FieldOwner, type PathElement } from './field-owners.ts';
export type { IgnoreDifference } from './ignore-differences.ts';

export interface FieldDifference {
  /** Kubernetes field path: `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`. */
  path: string;
  desired: unknown;
  live: unknown;
  /** The same path, structured: how `fieldOwners` finds it in managedFields. */
  elements?: PathElement[];
}

export interface CompareOptions {
  ignoreDifferences?: readonly IgnoreDifference[];
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
  for (const [segments, value] of gitFields(wanted)) {
    compareValue(
      value,
      fieldOf(current, segments),
      `.${segments.join('.')}`,
      segments,
      segments.map((field) => ({ field })),
      differences,
    );
  }
  const managers = new Set(rules.flatMap((rule) => rule.managedFieldsManagers ?? []));
  if (managers.size === 0) return differences;
  return differences.filter((difference) => !fieldOwners(live, difference.elements ?? []).some((owner) => managers.has(owner.manager)));
}

/** The fields Git sets that are compared: top-level fields but status, and the Git-owned part of metadata. */
function* gitFields(wanted: KubeObject): Generator<[string[], unknown]> {
  for (const [key, value] of Object.entries(wanted)) {
    if (key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    if (key !== 'metadata') {
      yield [[key], value];
      continue;
    }
    for (const [field, metaValue] of Object.entries(value as Record<string, unknown>)) {
      if (COMPARED_METADATA.has(field)) yield [['metadata', field], metaValue];
    }
  }
}

function fieldOf(object: KubeObject, segments: string[]): unknown {
  return segments.reduce<unknown>((node, field) => (isMap(node) ? node[field] : undefined), object);
}

type ListMap = Pick<ListRule, 'keys' | 'keyDefaults'>;

/** The item of `items` with the same list-map keys as `item` (absent keys read as their server default). */
function sameItem(items: Array<Record<string, unknown>>, item: Record<string, unknown>, list: ListMap): Record<string, unknown> | undefined {
  return items.find((candidate) => list.keys.every((key) => keyEqual(item[key], candidate[key], key, list)));
}

/** The list-map keys (and their defaults) when both lists are associative lists of maps, else undefined. */
function associativeKeys(desired: unknown[], live: unknown[], segments: string[]): ListMap | undefined {
  const list = listKeyFor(segments);
  return list && desired.every(isMap) && live.every(isMap) ? list : undefined;
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
    for (const [key, value] of Object.entries(desired))
      compareValue(value, live[key], `${path}.${key}`, [...segments, key], [...elements, { field: key }], out);
    return;
  }
  if (!scalarsEqual(desired, live, segments)) out.push({ path, desired, live, elements });
}

function compareList(desired: unknown[], live: unknown, path: string, segments: string[], elements: PathElement[], out: FieldDifference[]): void {
  if (!Array.isArray(live)) {
    out.push({ path, desired, live, elements });
    return;
  }
  const list = associativeKeys(desired, live, segments);
  if (list) {
    // Associative list: match items by their keys, ignore order and items Git does not list.
    for (const item of desired as Array<Record<string, unknown>>) {
      const match = sameItem(live as Array<Record<string, unknown>>, item, list);
      const label = list.keys.map((key) => `${key}=${JSON.stringify(item[key] ?? list.keyDefaults?.[key])}`).join(',');
      const key = Object.fromEntries(
        list.keys.map((name) => [name, (match ?? item)[name] ?? list.keyDefaults?.[name]]).filter(([, value]) => value !== undefined),
      );
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

/** Key fields the server defaults (a port's `protocol` is TCP) compare as that default when absent. */
function keyEqual(desired: unknown, live: unknown, key: string, list: ListMap): boolean {
  const fallback = list.keyDefaults?.[key];
  return scalarsEqual(desired ?? fallback, live ?? fallback, [key]);
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
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
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
  const metadata: Record<string, unknown> = { name: live.metadata.name };
  if (live.metadata.namespace) metadata.namespace = live.metadata.namespace;
  const projected: Record<string, unknown> = { apiVersion: live.apiVersion, kind: live.kind, metadata };
  for (const [segments, value] of gitFields(normalizeDesired(desired))) {
    const shown = project(value, fieldOf(live, segments), segments);
    if (shown === undefined) continue;
    if (segments[0] === 'metadata') metadata[segments[1]] = shown;
    else projected[segments[0]] = shown;
  }
  return projected as KubeObject;
}

function project(desired: unknown, live: unknown, segments: string[]): unknown {
  if (live === undefined) return undefined;
  if (Array.isArray(desired) && Array.isArray(live)) {
    const list = associativeKeys(desired, live, segments);
    if (list) {
      return (desired as Array<Record<string, unknown>>)
        .map((item) => {
          const match = sameItem(live as Array<Record<string, unknown>>, item, list);
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
