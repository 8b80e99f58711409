// The sandbox's view of the list table in shared/kube/list-keys.ts, in the string paths its
// patch and apply walks carry (`spec.template.spec.containers[].ports`), plus the maps
// server-side apply owns whole.

import { listRuleFor as sharedListRuleFor, parsePattern, pathSegments, patternMatches, type ListRule } from '../../../shared/kube/list-keys.ts';

export type { ListRule } from '../../../shared/kube/list-keys.ts';

// Maps Kubernetes marks `+structType=atomic` / `+mapType=atomic`: owned and replaced whole.
const ATOMIC_MAPS: readonly { pattern: string; kinds?: string[] }[] = [
  { pattern: 'spec.selector', kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'Service'] },
  { pattern: '**.podSelector' },
  { pattern: '**.namespaceSelector' },
  { pattern: '**.labelSelector' },
  { pattern: '**.fieldRef' },
  { pattern: '**.resourceFieldRef' },
  { pattern: '**.configMapKeyRef' },
  { pattern: '**.secretKeyRef' },
];

const compiledAtomic = ATOMIC_MAPS.map((entry) => ({ kinds: entry.kinds, pattern: parsePattern(entry.pattern) }));

/** The rule for the list at `path` (see the path notation above) in an object of `kind`. */
export function listRuleFor(kind: string, path: string): ListRule | undefined {
  return sharedListRuleFor(pathSegments(path), kind);
}

/** Whether the map at `path` is owned and replaced as a whole by server-side apply. */
export function isAtomicMap(kind: string, path: string): boolean {
  const segments = pathSegments(path);
  return compiledAtomic.some(({ kinds, pattern }) => (!kinds || kinds.includes(kind)) && patternMatches(pattern, segments));
}

/** The path of a field inside the value at `parent`. */
export function fieldPath(parent: string, field: string): string {
  return parent === '' ? field : `${parent}.${field}`;
}

/** The path of an element of the list at `parent`. */
export function elementPath(parent: string): string {
  return `${parent}[]`;
}
