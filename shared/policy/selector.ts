// metav1.LabelSelector matching, as Kubernetes does it: every matchLabels pair and every
// matchExpressions requirement must hold; an empty selector matches everything.
import type { LabelSelector } from './types.ts';

export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!selector) return true;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(have, key);
    if (operator === 'In' && !(present && values.includes(have[key]!))) return false;
    if (operator === 'NotIn' && present && values.includes(have[key]!)) return false;
    if (operator === 'Exists' && !present) return false;
    if (operator === 'DoesNotExist' && present) return false;
  }
  return true;
}
