// Merging an apply configuration into the live object, as structured-merge-diff's Merge:
// maps merge field by field, associative lists element by element (by key), sets value by
// value, and everything else (scalars, atomic lists and maps) takes the configuration's
// value. A null in the configuration removes the field.

import { elementPath } from './list-keys.ts';
import { elementKey, shapeOf } from './path-elements.ts';
import { clone, isMap } from './values.ts';

export function mergeApplied<T>(live: T | undefined, config: T, kind: string): T {
  return mergeValue(live, config, kind, '') as T;
}

function mergeValue(live: unknown, config: unknown, kind: string, path: string): unknown {
  if (live === undefined || live === null) return withoutNulls(config);
  const liveShape = shapeOf(live, kind, path);
  const configShape = shapeOf(config, kind, path);
  if (liveShape.type === 'map' && configShape.type === 'map') {
    const out: Record<string, unknown> = { ...(live as Record<string, unknown>) };
    for (const child of configShape.children) {
      const name = child.key.slice(2);
      if (child.value === null) delete out[name];
      else out[name] = mergeValue(out[name], child.value, kind, child.path);
    }
    return out;
  }
  if (liveShape.type === 'list' && configShape.type === 'list') {
    const rule = liveShape.rule;
    const key = (item: unknown, index: number) => elementKey(item, rule, index);
    return interleave(live as unknown[], config as unknown[], key, (a, b) => (rule.type === 'set' ? b : mergeValue(a, b, kind, elementPath(path))));
  }
  return withoutNulls(config);
}

/**
 * Both lists' elements, each key once, keeping both orders where they agree: live
 * elements the configuration does not mention stay where they were, configured ones
 * follow the configuration's order, and an element in both is merged.
 */
function interleave(
  live: unknown[],
  config: unknown[],
  key: (item: unknown, index: number) => string,
  merge: (liveItem: unknown, configItem: unknown) => unknown,
): unknown[] {
  const liveKeys = live.map(key);
  const configKeys = config.map(key);
  const liveByKey = new Map<string, unknown>();
  liveKeys.forEach((k, i) => liveByKey.has(k) || liveByKey.set(k, live[i]));
  const inConfig = new Set(configKeys);
  const done = new Set<string>();
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < live.length || j < config.length) {
    if (i < live.length && done.has(liveKeys[i])) {
      i++;
    } else if (j < config.length && done.has(configKeys[j])) {
      j++;
    } else if (i < live.length && !inConfig.has(liveKeys[i])) {
      out.push(live[i]);
      done.add(liveKeys[i++]);
    } else if (j < config.length) {
      const k = configKeys[j];
      out.push(liveByKey.has(k) ? merge(liveByKey.get(k), config[j]) : withoutNulls(config[j]));
      done.add(k);
      j++;
    } else {
      i++;
    }
  }
  return out;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (isMap(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  }
  return clone(value);
}
