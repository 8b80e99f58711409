// Kubernetes strategic merge patch: a merge patch whose lists know how to merge. Lists
// whose schema has a merge key merge element by element, primitive sets merge by value,
// every other list is replaced, and so is a map whose patch strategy is `replace`. Directives: `$patch: replace | delete` in maps
// and list elements, `$retainKeys`, `$deleteFromPrimitiveList/<field>`; `$setElementOrder`
// only reorders in Kubernetes and is accepted and ignored here.

import type { KubeObject } from '../../../shared/kube/object.ts';
import { PatchError } from './errors.ts';
import { elementPath, fieldPath, listRuleFor, patchReplacesMap } from './list-keys.ts';
import { clone, deepEqual, isMap, type JsonMap } from './values.ts';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

export function strategicMergePatch(target: KubeObject, patch: unknown): KubeObject {
  if (!isMap(patch)) throw new PatchError('strategic merge patch body must be a JSON object');
  return mergeMap(clone(target), patch, target.kind, '') as KubeObject;
}

function mergeMap(original: JsonMap | undefined, patch: JsonMap, kind: string, path: string): JsonMap {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return {};
  if (directive === 'replace') {
    const { [DIRECTIVE]: _directive, ...rest } = patch;
    return mergeMap(undefined, rest, kind, path);
  }
  if (directive !== undefined && directive !== 'merge') {
    throw new PatchError(`${where(path)}: unknown patch directive ${JSON.stringify(directive)}`);
  }

  let out: JsonMap = original ? { ...original } : {};
  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new PatchError(`${where(path)}: ${RETAIN_KEYS} must be a list of field names`);
    out = Object.fromEntries(Object.entries(out).filter(([key]) => retain.includes(key)));
  }
  for (const [key, values] of Object.entries(patch)) {
    if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    if (!Array.isArray(values)) throw new PatchError(`${where(path)}: ${key} must be a list`);
    const current = out[field];
    if (Array.isArray(current)) out[field] = current.filter((item) => !values.some((value) => deepEqual(value, item)));
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(SET_ELEMENT_ORDER) || key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    if (value === null) delete out[key];
    else out[key] = mergeValue(out[key], value, kind, fieldPath(path, key));
  }
  return out;
}

function mergeValue(original: unknown, patch: unknown, kind: string, path: string): unknown {
  if (isMap(patch)) return mergeMap(isMap(original) && !patchReplacesMap(kind, path) ? original : undefined, patch, kind, path);
  if (Array.isArray(patch)) return mergeList(Array.isArray(original) ? original : undefined, patch, kind, path);
  return patch;
}

function mergeList(original: unknown[] | undefined, patch: unknown[], kind: string, path: string): unknown[] {
  const rule = listRuleFor(kind, path);
  const replaceAll = patch.some((item) => isMap(item) && item[DIRECTIVE] === 'replace');
  if (replaceAll) {
    const rest = patch.filter((item) => !(isMap(item) && item[DIRECTIVE] === 'replace'));
    return rest.map((item) => mergeValue(undefined, item, kind, elementPath(path)));
  }
  if (rule?.mergePrimitives) {
    const out = [...(original ?? [])];
    for (const item of patch) {
      if (!out.some((existing) => deepEqual(existing, item))) out.push(clone(item));
    }
    return out;
  }
  if (!rule?.mergeKey) return clone(patch);

  const mergeKey = rule.mergeKey;
  let out = [...(original ?? [])];
  for (const item of patch) {
    if (!isMap(item)) throw new PatchError(`${where(path)}: list elements must be objects with the merge key ${mergeKey}`);
    const keyValue = item[mergeKey];
    if (keyValue === undefined) {
      throw new PatchError(`${where(path)}: map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    }
    const matches = (existing: unknown) => isMap(existing) && deepEqual(existing[mergeKey], keyValue);
    if (item[DIRECTIVE] === 'delete') {
      out = out.filter((existing) => !matches(existing));
      continue;
    }
    const index = out.findIndex(matches);
    if (index === -1) out.push(mergeMap(undefined, item, kind, elementPath(path)));
    else out[index] = mergeMap(out[index] as JsonMap, item, kind, elementPath(path));
  }
  return out;
}

function where(path: string): string {
  return path === '' ? '<root>' : path;
}
