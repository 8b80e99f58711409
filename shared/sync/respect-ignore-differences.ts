// Argo CD's RespectIgnoreDifferences=true: before an object is written, the fields its
// ignoreDifferences rules cover (jsonPointers, jqPathExpressions) are taken from the live
// object, so the sync leaves them as the cluster has them: an HPA's replicas stay, a
// sidecar an admission webhook injected stays. A field the live object does not have is
// not written either. Only when the object exists: a new object is written as Git has it.
//
// managedFieldsManagers rules are not part of this (they are honoured when comparing): they
// name who owns a field, not which field, and Argo CD pre-patches only the named paths.
import { ruleMatches, ignoredPaths, valueAt, withoutPaths, type Concrete, type IgnoreDifference } from '../kube/ignore-differences.ts';
import type { KubeObject } from '../kube/object.ts';

export function withLiveIgnoredFields(desired: KubeObject, live: KubeObject | undefined, rules: readonly IgnoreDifference[]): KubeObject {
  if (!live) return desired;
  const matching = rules.filter((rule) => ruleMatches(rule, desired));
  const pointers = matching.flatMap((rule) => rule.jsonPointers ?? []);
  const expressions = matching.flatMap((rule) => rule.jqPathExpressions ?? []);
  if (pointers.length === 0 && expressions.length === 0) return desired;
  const result = withoutPaths(desired, pointers, expressions);
  // Shallow paths first and in index order, so each list item goes back where live has it.
  const paths = outermost(ignoredPaths(live, pointers, expressions)).sort(compareForInsert);
  for (const path of paths) {
    const value = valueAt(live, path);
    if (value !== undefined) insertAt(result, path, structuredClone(value));
  }
  return result;
}

/** Each path once, and none inside another: a field taken whole carries what is inside it. */
function outermost(paths: Concrete[]): Concrete[] {
  const unique = [...new Map(paths.map((path) => [JSON.stringify(path.map(String)), path])).values()];
  const contains = (outer: Concrete, inner: Concrete) => outer.length < inner.length && outer.every((step, i) => String(step) === String(inner[i]));
  return unique.filter((path) => !unique.some((other) => contains(other, path)));
}

function compareForInsert(a: Concrete, b: Concrete): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (String(x) === String(y)) continue;
    const numbers = isIndex(x) && isIndex(y);
    return numbers ? Number(x) - Number(y) : String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Puts `value` at `path`: maps that are missing on the way are created, a list item is
 * inserted at its index (the desired list had its own ignored items removed), a map key set.
 */
function insertAt(root: unknown, path: Concrete, value: unknown): void {
  if (path.length === 0) return;
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i];
    if (Array.isArray(node) && isIndex(step)) {
      node = node[Number(step)];
    } else if (isMap(node)) {
      const key = String(step);
      // A list cannot be made up on the way: only maps are created for the value to land in.
      if (node[key] === undefined && !isIndex(path[i + 1])) node[key] = {};
      node = node[key];
    } else {
      return;
    }
  }
  const last = path[path.length - 1];
  if (Array.isArray(node) && isIndex(last)) node.splice(Math.min(Number(last), node.length), 0, value);
  else if (isMap(node)) node[String(last)] = value;
}

function isIndex(step: string | number | undefined): boolean {
  return typeof step === 'number' || (typeof step === 'string' && /^\d+$/.test(step));
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
