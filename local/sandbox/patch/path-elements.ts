// How server-side apply walks a value: a map's children are its fields (`f:name`), an
// associative list's children are its elements by key (`k:{"name":"web"}`), a set's are
// its values (`v:"x"`); everything else (scalars, null, other lists, atomic maps) is one leaf.
// The keys are fieldsV1's own path elements, so field sets and walks share one notation.

import { elementPath, fieldPath, isAtomicMap, listRuleFor, type ListRule } from './list-keys.ts';
import { canonicalJson, isMap } from './values.ts';

export interface Child {
  /** fieldsV1 path element: `f:image`, `k:{"name":"web"}`, `v:"x"`, `i:0`. */
  key: string;
  value: unknown;
  /** The child's rule path (list-keys.ts notation). */
  path: string;
}

export type Shape = { type: 'leaf' } | { type: 'map'; children: Child[] } | { type: 'list'; rule: ListRule; children: Child[] };

export function shapeOf(value: unknown, kind: string, path: string): Shape {
  if (isMap(value)) {
    if (isAtomicMap(kind, path)) return { type: 'leaf' };
    return {
      type: 'map',
      children: Object.entries(value).map(([name, child]) => ({ key: `f:${name}`, value: child, path: fieldPath(path, name) })),
    };
  }
  if (Array.isArray(value)) {
    const rule = listRuleFor(kind, path);
    if (!rule || rule.type === 'atomic') return { type: 'leaf' };
    const itemPath = elementPath(path);
    return {
      type: 'list',
      rule,
      children: value.map((item, index) => ({ key: elementKey(item, rule, index), value: item, path: itemPath })),
    };
  }
  return { type: 'leaf' };
}

/** The path element identifying `item` in a list governed by `rule`. */
export function elementKey(item: unknown, rule: ListRule, index: number): string {
  if (rule.type === 'set' || !isMap(item)) return `v:${canonicalJson(item)}`;
  const key: Record<string, unknown> = {};
  for (const name of rule.keys) {
    const value = item[name] ?? rule.keyDefaults?.[name];
    if (value !== undefined) key[name] = value;
  }
  return Object.keys(key).length === 0 ? `i:${index}` : `k:${canonicalJson(key)}`;
}

/** Children of `value` by key; the first of duplicates wins, as it does when merging. */
export function childrenByKey(shape: Shape): Map<string, Child> {
  const byKey = new Map<string, Child>();
  if (shape.type === 'leaf') return byKey;
  for (const child of shape.children) {
    if (!byKey.has(child.key)) byKey.set(child.key, child);
  }
  return byKey;
}

/** A path element as structured-merge-diff prints it: `.spec`, `[name="web"]`, `[="x"]`, `[0]`. */
export function keyToText(key: string): string {
  const body = key.slice(2);
  switch (key.slice(0, 2)) {
    case 'f:':
      return `.${body}`;
    case 'v:':
      return `[=${body}]`;
    case 'i:':
      return `[${body}]`;
    case 'k:': {
      const fields = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(fields)
        .map(([name, value]) => `${name}=${canonicalJson(value)}`)
        .join(',')}]`;
    }
    default:
      return key;
  }
}
