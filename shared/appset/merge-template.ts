// A generator's own `template` over the set's, as Argo CD merges them (mergo.Merge of the
// set's template into the generator's, without override): every field the generator's template
// leaves empty (absent, "", 0, false, an empty list or mapping) comes from the set's; mappings
// (metadata.labels, spec.source …) merge key by key; a list the generator sets replaces the
// set's whole. Raw JSON fields (helm valuesObject) are one value each, as in Argo CD's types.
import { isPlainObject } from './params.ts';

const WHOLE = new Set(['valuesObject']);

export function mergeTemplate(generator: Record<string, unknown> | undefined, set: Record<string, unknown>): Record<string, unknown> {
  if (!generator) return set;
  return fill(generator, set) as Record<string, unknown>;
}

function fill(own: unknown, base: unknown): unknown {
  if (isEmpty(own)) return base === undefined ? own : base;
  if (!isPlainObject(own) || !isPlainObject(base)) return own;
  const out: Record<string, unknown> = { ...own };
  for (const [key, value] of Object.entries(base)) {
    out[key] = WHOLE.has(key) && !isEmpty(own[key]) ? own[key] : fill(own[key], value);
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}
