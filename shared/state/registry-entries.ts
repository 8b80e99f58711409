// The registry cut into entries, one DynamoDB item each (registry.ts stores them), and put back
// together. Every top-level array of the registry (apps, clusters, projects, later
// ApplicationSets) becomes one entry per element, keyed by its name; every other top-level value
// (policies, notifications …) one entry; the order of each array and the registry's top-level
// keys ride in small entries of their own, so the registry comes back exactly as it went in
// (the store does not judge its content). No entry grows with the fleet: the order is chunked.
import { createHash } from 'node:crypto';
import type { Registry } from '../config/types.ts';
import { CorruptItemError, RegistryItemTooLargeError } from './errors.ts';
import { REGISTRY_ITEM_PREFIX } from './keys.ts';

export interface Entry {
  /** The item's sort key without its version suffix, e.g. `ITEM#e#apps#shop`. */
  id: string;
  /** JSON of the value. */
  body: string;
  hash: string;
}

/**
 * DynamoDB's item limit is 400 KB, attribute names and the other attributes (key, hash, version)
 * included; an entry's JSON must leave room for them. Checked before anything is written.
 */
export const MAX_ENTRY_BYTES = 390 * 1024;
/** Order chunks stay far below the limit, so a 10,000-app order is a handful of small items. */
const ORDER_CHUNK_BYTES = 64 * 1024;

const SHAPE_ID = `${REGISTRY_ITEM_PREFIX}shape`;

type Shape = Array<[key: string, kind: 'list' | 'doc']>;

export function hashOf(body: string): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 22);
}

function entry(id: string, value: unknown, what: () => { what: string; file?: string }): Entry {
  const body = JSON.stringify(value);
  const bytes = Buffer.byteLength(body) + Buffer.byteLength(id);
  if (bytes > MAX_ENTRY_BYTES) {
    const { what: name, file } = what();
    throw new RegistryItemTooLargeError(name, file, bytes, MAX_ENTRY_BYTES);
  }
  return { id, body, hash: hashOf(body) };
}

/** The entries of `registry`, in a stable order; throws RegistryItemTooLargeError (bad input) for one too large. */
export function registryEntries(registry: Registry): Entry[] {
  const entries: Entry[] = [];
  const shape: Shape = [];
  for (const [key, value] of Object.entries(registry as unknown as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      shape.push([key, 'doc']);
      entries.push(entry(`${REGISTRY_ITEM_PREFIX}d#${key}`, value, () => ({ what: `the registry's ${key}`, file: definedInFile(value) })));
      continue;
    }
    shape.push([key, 'list']);
    const ids: string[] = [];
    const seen = new Set<string>();
    value.forEach((element: unknown, index) => {
      const name = (element as { name?: unknown } | null)?.name;
      // A name seen twice (or none) cannot be the key: the position is, for that element alone.
      const local = typeof name === 'string' && name !== '' && !seen.has(name) ? name : `~${index}`;
      seen.add(local);
      const id = `${REGISTRY_ITEM_PREFIX}e#${key}#${local}`;
      ids.push(id);
      entries.push(entry(id, element, () => ({ what: `${singular(key)} ${typeof name === 'string' ? name : `#${index}`}`, file: definedInFile(element) })));
    });
    chunkByBytes(ids, ORDER_CHUNK_BYTES).forEach((chunk, index) => {
      entries.push(entry(orderId(key, index), chunk, () => ({ what: `the order of ${key}` })));
    });
  }
  entries.push(entry(SHAPE_ID, shape, () => ({ what: "the registry's shape" })));
  return entries;
}

/** Puts the registry back together from the entries of one version (by id). */
export function assembleRegistry(bodies: ReadonlyMap<string, string>): Registry {
  const parse = (id: string): unknown => {
    const body = bodies.get(id);
    if (body === undefined) throw new CorruptItemError(id, 'registry entry is missing');
    try {
      return JSON.parse(body) as unknown;
    } catch (error) {
      throw new CorruptItemError(id, 'registry entry is not JSON', { cause: error });
    }
  };
  const registry: Record<string, unknown> = {};
  for (const [key, kind] of parse(SHAPE_ID) as Shape) {
    if (kind === 'doc') {
      registry[key] = parse(`${REGISTRY_ITEM_PREFIX}d#${key}`);
      continue;
    }
    const list: unknown[] = [];
    for (let chunk = 0; bodies.has(orderId(key, chunk)); chunk++) {
      for (const id of parse(orderId(key, chunk)) as string[]) list.push(parse(id));
    }
    registry[key] = list;
  }
  return registry as unknown as Registry;
}

/** One hash of a whole version: of every entry's id and hash, in id order. */
export function combinedHash(entries: Iterable<{ id: string; hash: string }>): string {
  const lines = [...entries].map((item) => `${item.id}\n${item.hash}\n`).sort();
  return hashOf(lines.join(''));
}

function orderId(key: string, chunk: number): string {
  return `${REGISTRY_ITEM_PREFIX}o#${key}#${String(chunk).padStart(4, '0')}`;
}

export function chunkByBytes<T>(items: readonly T[], limit: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && bytes + size > limit) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function singular(key: string): string {
  return { apps: 'app', clusters: 'cluster', projects: 'project', applicationSets: 'ApplicationSet' }[key] ?? `${key} entry`;
}

function definedInFile(value: unknown): string | undefined {
  const file = (value as { definedIn?: { file?: unknown } } | null)?.definedIn?.file;
  return typeof file === 'string' ? file : undefined;
}
