// Field sets as structured-merge-diff keeps them, and their fieldsV1 encoding.
// A set is a tree of path elements (`f:spec` → `f:replicas`); a node is a member when the
// set owns that field, list element or map itself. In fieldsV1 a member with children
// carries `".": {}`, a member without children is `{}`, and a non-member only groups.

import { keyToText, shapeOf } from './path-elements.ts';
import { isMap } from './values.ts';

export interface FieldSet {
  member: boolean;
  children: Map<string, FieldSet>;
}

export function emptySet(): FieldSet {
  return { member: false, children: new Map() };
}

function leaf(): FieldSet {
  return { member: true, children: new Map() };
}

/** Never owned by anyone: type and identity, and what the server itself maintains. */
export const IGNORED_FIELDS: FieldSet = fromFieldsV1({
  'f:apiVersion': {},
  'f:kind': {},
  'f:metadata': {
    '.': {},
    'f:name': {},
    'f:namespace': {},
    'f:uid': {},
    'f:resourceVersion': {},
    'f:generation': {},
    'f:creationTimestamp': {},
    'f:deletionTimestamp': {},
    'f:deletionGracePeriodSeconds': {},
    'f:selfLink': {},
    'f:managedFields': {},
  },
});

export function fromFieldsV1(fields: unknown): FieldSet {
  const set = emptySet();
  if (!isMap(fields)) return set;
  for (const [key, value] of Object.entries(fields)) {
    if (key === '.') {
      set.member = true;
      continue;
    }
    const child = fromFieldsV1(value);
    if (child.children.size === 0) child.member = true;
    set.children.set(key, child);
  }
  return set;
}

export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const out: Record<string, unknown> = set.member && set.children.size > 0 ? { '.': {} } : {};
  for (const key of sortedKeys(set)) {
    const child = set.children.get(key)!;
    if (hasAnyMember(child)) out[key] = toFieldsV1(child);
  }
  return out;
}

export function hasAnyMember(set: FieldSet): boolean {
  if (set.member) return true;
  for (const child of set.children.values()) {
    if (hasAnyMember(child)) return true;
  }
  return false;
}

export function union(...sets: FieldSet[]): FieldSet {
  const out = emptySet();
  for (const set of sets) {
    out.member ||= set.member;
    for (const [key, child] of set.children) {
      const existing = out.children.get(key);
      out.children.set(key, existing ? union(existing, child) : union(child));
    }
  }
  return out;
}

/** Members of `a` that are not members of `b` (member by member, not whole subtrees). */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && !b.member, children: new Map() };
  for (const [key, child] of a.children) {
    const other = b.children.get(key);
    const rest = other ? difference(child, other) : union(child);
    if (hasAnyMember(rest)) out.children.set(key, rest);
  }
  return out;
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && b.member, children: new Map() };
  for (const [key, child] of a.children) {
    const other = b.children.get(key);
    if (!other) continue;
    const both = intersection(child, other);
    if (hasAnyMember(both)) out.children.set(key, both);
  }
  return out;
}

/** `a` without the members of `b` and, where `b` owns a leaf, without anything beneath it. */
export function recursiveDifference(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { member: a.member && !b.member, children: new Map() };
  for (const [key, child] of a.children) {
    const other = b.children.get(key);
    if (other?.member && other.children.size === 0) continue;
    const rest = other ? recursiveDifference(child, other) : union(child);
    if (hasAnyMember(rest)) out.children.set(key, rest);
  }
  return out;
}

export function withoutIgnored(set: FieldSet): FieldSet {
  return recursiveDifference(set, IGNORED_FIELDS);
}

/** Every member as its path elements, in structured-merge-diff's order. */
export function memberPaths(set: FieldSet, prefix: string[] = []): string[][] {
  const paths: string[][] = set.member && prefix.length > 0 ? [prefix] : [];
  for (const key of sortedKeys(set)) {
    paths.push(...memberPaths(set.children.get(key)!, [...prefix, key]));
  }
  return paths;
}

/** `.spec.template.spec.containers[name="web"].image` */
export function pathText(path: string[]): string {
  return path.map(keyToText).join('');
}

/**
 * The fields a configuration sets, as server-side apply counts them (SMD's ToFieldSet):
 * every scalar, atomic value, null and empty map; every list element with `"."`; a
 * non-empty map only through its fields.
 */
export function fieldSetOf(value: unknown, kind: string): FieldSet {
  const set = valueSet(value, kind, '');
  set.member = false;
  return set;
}

function valueSet(value: unknown, kind: string, path: string): FieldSet {
  const shape = shapeOf(value, kind, path);
  if (shape.type === 'leaf' || (shape.type === 'map' && shape.children.length === 0)) return leaf();
  const set = emptySet();
  for (const child of shape.children) {
    const childSet = valueSet(child.value, kind, child.path);
    if (shape.type === 'list') childSet.member = true;
    const existing = set.children.get(child.key);
    set.children.set(child.key, existing ? union(existing, childSet) : childSet);
  }
  return set;
}

/**
 * `value` without the members of `set` (each removed with everything beneath it). A map
 * or list the removal leaves empty goes too, as it does when the API server round-trips
 * the object through its typed form.
 */
export function removeFromObject<T>(value: T, set: FieldSet, kind: string): T {
  return (removeBeneath(value, set, kind, '') ?? {}) as T;
}

function removeBeneath(value: unknown, set: FieldSet, kind: string, path: string): unknown {
  if (set.children.size === 0) return value;
  const shape = shapeOf(value, kind, path);
  if (shape.type === 'leaf') return value;
  const kept: Array<[string, unknown]> = [];
  let removedAny = false;
  for (const child of shape.children) {
    const childSet = set.children.get(child.key);
    const rest = childSet === undefined ? child.value : childSet.member ? undefined : removeBeneath(child.value, childSet, kind, child.path);
    if (rest === undefined) removedAny = true;
    else kept.push([child.key.slice(2), rest]);
  }
  if (removedAny && kept.length === 0) return undefined;
  return shape.type === 'map' ? Object.fromEntries(kept) : kept.map(([, item]) => item);
}

// structured-merge-diff orders path elements: field names, then keys, then values, then indexes.
const RANK: Record<string, number> = { 'f:': 0, 'k:': 1, 'v:': 2, 'i:': 3 };

function sortedKeys(set: FieldSet): string[] {
  return [...set.children.keys()].sort((a, b) => {
    const rank = (RANK[a.slice(0, 2)] ?? 4) - (RANK[b.slice(0, 2)] ?? 4);
    if (rank !== 0) return rank;
    if (a.startsWith('i:') && b.startsWith('i:')) return Number(a.slice(2)) - Number(b.slice(2));
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
