// The engine's associative-list table (shared/kube/list-keys.ts) against the Kubernetes schema
// the sandbox keeps (local/sandbox/schema/, written from the API types, not from the engine):
// every rule the engine lists must name real lists and, wherever it applies, give them
// Kubernetes' server-side-apply keys and key defaults and strategic-merge-patch merge key.
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../local/sandbox/schema/definitions.ts';
import { listsOf, pathSegments, type ListRule as KubernetesRule } from '../../local/sandbox/schema/lookup.ts';
import { LIST_RULES, listRuleFor, type ListRule } from '../../shared/kube/list-keys.ts';

interface Place {
  kind: string;
  path: string;
  kubernetes: KubernetesRule;
}

/** Every list of every built-in kind the engine has a rule for, by that rule. */
function placesByRule(): Map<ListRule, Place[]> {
  const byRule = new Map<ListRule, Place[]>();
  for (const kind of Object.keys(KINDS)) {
    for (const { path, rule } of listsOf(kind)) {
      const engine = listRuleFor(pathSegments(path), kind);
      if (engine) byRule.set(engine, [...(byRule.get(engine) ?? []), { kind, path, kubernetes: rule }]);
    }
  }
  return byRule;
}

/** A rule as the fields both tables share, absent ones left out. */
function facts(rule: { type: string; keys: string[]; keyDefaults?: Record<string, unknown>; mergeKey?: string; mergePrimitives?: boolean }) {
  return {
    type: rule.type,
    keys: rule.keys,
    keyDefaults: rule.keyDefaults ?? {},
    mergeKey: rule.mergeKey ?? null,
    mergePrimitives: rule.mergePrimitives ?? false,
  };
}

describe("the engine's list keys agree with Kubernetes", () => {
  const places = placesByRule();

  it('has no rule that matches no list of a built-in kind', () => {
    const unused = LIST_RULES.filter((rule) => !places.has(rule)).map((rule) => rule.pattern);
    expect(unused).toEqual([]);
  });

  it('gives every list it matches the keys Kubernetes gives it', () => {
    const wrong = [...places].flatMap(([rule, where]) =>
      where
        .filter(({ kubernetes }) => JSON.stringify(facts(rule)) !== JSON.stringify(facts(kubernetes)))
        .map(({ kind, path, kubernetes }) => `${kind} ${path}: engine ${JSON.stringify(facts(rule))}, Kubernetes ${JSON.stringify(facts(kubernetes))}`),
    );
    expect(wrong).toEqual([]);
  });
});
