// The one place the server calls the pure patch and apply algorithms (./patch), and the
// translation of their errors into Status answers.
import type { KubeObject } from '../../shared/kube/object.ts';
import { ApplyConflictError, PatchError, applyDefaults, jsonPatch, mergePatch, recordUpdate, serverSideApply, strategicMergePatch } from './patch/index.ts';
import type { StatusError } from './errors.ts';
import { now } from './server-fields.ts';
import { badRequestFor, fieldManagerConflict, type GroupResource } from './status.ts';

export const PATCH_TYPES = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
} as const;

export type PatchType = (typeof PATCH_TYPES)[keyof typeof PATCH_TYPES];

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase() as keyof typeof PATCH_TYPES;
  return PATCH_TYPES[media];
}

export function patchObject(type: Exclude<PatchType, 'apply'>, live: KubeObject, body: unknown): KubeObject {
  switch (type) {
    case 'json':
      return jsonPatch(live, body as Parameters<typeof jsonPatch>[1]);
    case 'merge':
      return mergePatch(live, body as Parameters<typeof mergePatch>[1]);
    case 'strategic':
      return strategicMergePatch(live, body as Parameters<typeof strategicMergePatch>[1]);
  }
}

export interface ApplyOptions {
  manager: string;
  force: boolean;
  subresource?: string;
}

export function applyObject(live: KubeObject | undefined, applied: KubeObject, options: ApplyOptions): KubeObject {
  return serverSideApply({ ...(live ? { live } : {}), applied, ...options, now: now() });
}

export function trackUpdate(before: KubeObject | undefined, after: KubeObject, manager: string, subresource?: string): KubeObject {
  return recordUpdate({ ...(before ? { before } : {}), after, manager, now: now(), ...(subresource ? { subresource } : {}) });
}

export function withDefaults(object: KubeObject): KubeObject {
  return applyDefaults(object);
}

/** Turns an algorithm's error into the Status the real server answers with. */
export function patchFailure(error: unknown, gr: GroupResource, name: string): StatusError | undefined {
  if (error instanceof ApplyConflictError) {
    const causes = error.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: c.message, field: c.field }));
    return fieldManagerConflict(gr, name, error.message, causes, { cause: error });
  }
  if (error instanceof PatchError) return badRequestFor(gr, name, error.message, { cause: error });
  return undefined;
}
