// JSON merge patch (RFC 7386): objects merge key by key, null deletes, anything else
// (lists included) replaces.

import type { KubeObject } from '../../../shared/kube/object.ts';
import { PatchError } from './errors.ts';
import { clone, isMap } from './values.ts';

export function mergePatch(target: KubeObject, patch: unknown): KubeObject {
  if (!isMap(patch)) throw new PatchError('merge patch body must be a JSON object');
  return merge(target, patch) as KubeObject;
}

function merge(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return clone(patch);
  const out: Record<string, unknown> = isMap(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = merge(out[key], value);
  }
  return out;
}
