// What the API server itself sets or normalises on writes, beyond schema defaults (those
// live in ./patch/defaults.ts): timestamps, generated names, generation, a new
// Namespace's phase, and the empty metadata a typed round trip would drop.
import type { KubeObject } from '../../shared/kube/object.ts';
import { deepEqual } from './patch/values.ts';

const NAME_SUFFIX = 'bcdfghjklmnpqrstvwxz2456789';

export function setCreateFields(object: KubeObject): void {
  if (object.apiVersion === 'v1' && object.kind === 'Namespace') object.status = { phase: 'Active' };
}

/** A time as the API server writes it: RFC 3339 in whole seconds. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

let lastSecond = -1;
let lastText = '';

/** The current time as formatTime writes it; one formatting per second, as a write asks for it several times. */
export function now(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = formatTime(new Date(second * 1000));
  }
  return lastText;
}

export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_SUFFIX[Math.floor(Math.random() * NAME_SUFFIX.length)];
  return `${prefix}${suffix}`;
}

/** Generation moves when anything outside metadata and status changes, as for real. */
export function specChanged(live: KubeObject, next: KubeObject): boolean {
  const { metadata: _lm, status: _ls, ...before } = live;
  const { metadata: _nm, status: _ns, ...after } = next;
  // Equal as values is equal as canonical JSON; only a difference needs the slower look.
  if (deepEqual(before, after)) return false;
  return canonical(before) !== canonical(after);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Typed ObjectMeta omits empty maps and lists, so `annotations: {}` never survives a write. */
export function dropEmptyMetadata(object: KubeObject): void {
  const meta = object.metadata as Record<string, unknown>;
  for (const key of ['labels', 'annotations', 'finalizers', 'ownerReferences']) {
    const value = meta[key];
    if (value === null || (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && value && Object.keys(value).length === 0)) delete meta[key];
  }
}
