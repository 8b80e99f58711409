// Who owns a field: the live object's managedFields, walked along a structured path. The
// drift report names the manager that changed a field; ignoreDifferences'
// managedFieldsManagers drops differences owned by the managers it lists.
import type { KubeObject } from './object.ts';

/** A step of a field path: a map field, an associative list item by its keys, or a list index. */
export type PathElement = { field: string } | { key: Record<string, unknown> } | { index: number };

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
    if (ownsPath(entry.fieldsV1, elements))
      owners.push({ manager: entry.manager, operation: entry.operation, ...(entry.subresource ? { subresource: entry.subresource } : {}) });
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

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
