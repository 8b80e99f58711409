// Defaults fill what is missing and never change what is there.

import { isMap, type JsonMap } from './values.ts';

export function setDefault(target: JsonMap, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

/** The map at `key`, created empty when missing, so defaults can go inside it. */
export function mapAt(target: JsonMap, key: string): JsonMap {
  if (!isMap(target[key])) target[key] = {};
  return target[key] as JsonMap;
}

export function mapsIn(value: unknown): JsonMap[] {
  return Array.isArray(value) ? value.filter(isMap) : [];
}

/** FNV-1a: a stable hash, so a sandbox allocates the same addresses on every run. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
