// The merge generator: the first child's parameter sets are the base; a set of a later child
// whose `mergeKeys` values equal a base set's overrides that base set's parameters (later
// children win); sets that match no base set are dropped. Within one child, two sets with the
// same merge key values are an error (Argo CD's "not unique by the given mergeKeys"). A merge
// key is looked up as a top-level parameter name (`values.selector` is one with fasttemplate).
import { AppSetInputError } from '../errors.ts';
import { mergeParams as mergeNested } from '../params.ts';
import type { Params } from '../types.ts';
import type { GeneratorContext, MergeGenerator } from './context.ts';
import { evaluateEntry } from './evaluate.ts';

export async function mergeParams(merge: MergeGenerator, where: string, context: GeneratorContext): Promise<Params[]> {
  const children = await Promise.all(merge.generators.map((child, index) => evaluateEntry(child, `${where}.generators[${index}]`, context)));
  const keys = [...new Set(merge.mergeKeys)].sort();
  const base = byMergeKey(children[0], keys, 0);
  for (const [index, child] of children.slice(1).entries()) {
    const overrides = byMergeKey(child, keys, index + 1);
    for (const [key, params] of base) {
      const override = overrides.get(key);
      if (override) base.set(key, context.set.goTemplate ? mergeNested(params, override) : { ...params, ...override });
    }
  }
  return [...base.values()];
}

function byMergeKey(paramSets: Params[], keys: string[], child: number): Map<string, Params> {
  const out = new Map<string, Params>();
  for (const params of paramSets) {
    // As Argo CD: the JSON of {key: value} for the merge keys, keys sorted, absent as null.
    const key = JSON.stringify(Object.fromEntries(keys.map((name) => [name, Object.hasOwn(params, name) ? params[name] : null])));
    if (out.has(key)) {
      throw new AppSetInputError(
        `generators[${child}] of the merge produced two parameter sets with the same merge key values ${key}: every set of one generator must be unique by mergeKeys`,
      );
    }
    out.set(key, params);
  }
  return out;
}
