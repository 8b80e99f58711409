// The sandbox's view of Kubernetes' associative lists and atomic maps, in the string paths
// its patch and apply walks carry (`spec.template.spec.containers[].ports`). The facts come
// from the sandbox's own schema (../schema/), never from the engine's tables.

export { isAtomicMap, listRuleFor, patchReplacesMap, type ListRule } from '../schema/lookup.ts';

/** The path of a field inside the value at `parent`. */
export function fieldPath(parent: string, field: string): string {
  return parent === '' ? field : `${parent}.${field}`;
}

/** The path of an element of the list at `parent`. */
export function elementPath(parent: string): string {
  return `${parent}[]`;
}
