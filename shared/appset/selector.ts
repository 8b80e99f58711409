// Kubernetes label selectors on plain string maps: a clusters generator's `selector` on the
// Clusters' labels, and a generator's post `selector` on its flattened parameters (Argo CD's
// Transform: the parameters flattened with `%v`, then matched like labels, with no limit on
// what a value may hold, so a server URL can be matched).
import type { LabelSelector } from './schema.ts';

export function matchesSelector(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, requirement.key);
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (!has || !values.includes(labels[requirement.key])) return false;
        break;
      case 'NotIn':
        // As Kubernetes: a missing label is not in any set.
        if (has && values.includes(labels[requirement.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}
