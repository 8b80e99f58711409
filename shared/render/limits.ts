// Bounds on what one render may read and produce. Everything in a repository is hostile
// input: a 50 MB file costs gigabytes once parsed, a 5000-deep document overflows the stack of
// every recursive walk after the parser (JSON.stringify, structuredClone, compare), and ten
// thousand objects are more than one sync can apply. Past a bound the render fails as bad
// input naming the file, before the expensive step where the size is known in advance.
import { RenderLimitError } from './errors.ts';

/** Manifests one render may read or a tool may print: far above real apps, far below memory. */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * Nesting of mappings and lists in one document. The deepest real manifests are CRD schemas
 * (about 60 levels for the largest operators'); the yaml composer overflows near 770.
 */
export const MAX_NESTING_DEPTH = 200;

/** Objects one render may produce (after Lists are flattened). */
export const MAX_OBJECTS = 10_000;

const MIB = 1024 * 1024;

export function tooManyBytes(file: string, what = 'is'): RenderLimitError {
  return new RenderLimitError(
    file,
    `${what} larger than ${MAX_MANIFEST_BYTES / MIB} MiB, the limit for one render's manifests; split the app`,
    MAX_MANIFEST_BYTES,
  );
}

export function tooDeep(file: string, line: number | undefined): RenderLimitError {
  const where = line === undefined ? file : `${file}:${line}`;
  return new RenderLimitError(where, `nests mappings and lists deeper than ${MAX_NESTING_DEPTH} levels; no Kubernetes object needs that`, MAX_NESTING_DEPTH);
}

export function tooManyObjects(file: string, count: number): RenderLimitError {
  return new RenderLimitError(file, `renders ${count} objects, more than the limit of ${MAX_OBJECTS} for one app; split the app`, MAX_OBJECTS);
}

/**
 * Whether `value` (parsed JSON or YAML) nests deeper than MAX_NESTING_DEPTH, walked without
 * recursion. YAML aliases make the value a graph whose depth can multiply past the text's, so
 * a node is walked again only when reached deeper than before.
 */
export function exceedsNestingDepth(value: unknown): boolean {
  const deepest = new Map<object, number>();
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    const level = depth + 1;
    if (level > MAX_NESTING_DEPTH) return true;
    if ((deepest.get(node) ?? 0) >= level) continue;
    deepest.set(node, level);
    for (const child of Array.isArray(node) ? node : Object.values(node)) pending.push([child, level]);
  }
  return false;
}
