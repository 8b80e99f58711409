// What changed between two versions of an object, as structured-merge-diff's Compare sees
// it: leaves whose values differ are modified; paths only in the new version are added
// (with the maps and elements that hold them), paths only in the old one are removed.
// Ownership follows from it: an update takes what it modified or added, a removed field
// is owned by nobody.

import { emptySet, hasAnyMember, type FieldSet } from './managed-fields.ts';
import { childrenByKey, shapeOf } from './path-elements.ts';
import { deepEqual } from './values.ts';

export interface Comparison {
  modified: FieldSet;
  added: FieldSet;
  removed: FieldSet;
}

export function compare(before: unknown, after: unknown, kind: string): Comparison {
  const result: Comparison = { modified: emptySet(), added: emptySet(), removed: emptySet() };
  walk(before, after, kind, '', result);
  return result;
}

function walk(before: unknown, after: unknown, kind: string, path: string, out: Comparison): void {
  // One value on both sides (a status write keeps metadata and spec as they were) has no differences.
  if (before === after) return;
  const old = shapeOf(before, kind, path);
  const now = shapeOf(after, kind, path);
  if (old.type === 'leaf' || now.type === 'leaf' || old.type !== now.type) {
    if (!deepEqual(before, after)) out.modified.member = true;
    return;
  }
  const oldChildren = childrenByKey(old);
  const newChildren = childrenByKey(now);
  for (const [key, child] of newChildren) {
    const previous = oldChildren.get(key);
    if (previous) {
      const sub: Comparison = { modified: emptySet(), added: emptySet(), removed: emptySet() };
      walk(previous.value, child.value, kind, child.path, sub);
      attach(out, key, sub);
    } else {
      out.added.children.set(key, wholeSet(child.value, kind, child.path));
    }
  }
  for (const [key, child] of oldChildren) {
    if (!newChildren.has(key)) out.removed.children.set(key, wholeSet(child.value, kind, child.path));
  }
}

function attach(out: Comparison, key: string, sub: Comparison): void {
  for (const part of ['modified', 'added', 'removed'] as const) {
    if (hasAnyMember(sub[part])) out[part].children.set(key, sub[part]);
  }
}

// Objects the API server holds as non-pointer structs or non-omitempty lists are never
// "added" themselves (their zero value is already there), so Kubernetes shows no `"."` for
// them: `f:spec`, `f:template`, `f:containers`. Other maps and lists are added as a whole.
const ALWAYS_PRESENT = /(?:^|\.)(?:metadata|spec|status|template|jobTemplate|strategy|updateStrategy|containers)$/;

/** Every path of a value that appeared or disappeared whole. */
function wholeSet(value: unknown, kind: string, path: string): FieldSet {
  const shape = shapeOf(value, kind, path);
  const set: FieldSet = { member: !ALWAYS_PRESENT.test(path), children: new Map() };
  if (shape.type === 'leaf') {
    set.member = true;
    return set;
  }
  for (const child of shape.children) set.children.set(child.key, wholeSet(child.value, kind, child.path));
  return set;
}
