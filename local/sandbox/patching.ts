// The one place the server calls the pure patch and apply algorithms (./patch), and the
// translation of their errors into Status answers.
import type { KubeObject } from '../../shared/kube/object.ts';
import { ApplyConflictError, PatchError, applyDefaults, jsonPatch, mergePatch, recordUpdate, serverSideApply, strategicMergePatch } from './patch/index.ts';
import { StatusError } from './errors.ts';
import { badRequest, type GroupResource } from './status.ts';

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
  return serverSideApply({ ...(live ? { live } : {}), applied, ...options, now: nowSeconds() });
}

export function trackUpdate(before: KubeObject | undefined, after: KubeObject, manager: string, subresource?: string): KubeObject {
  return recordUpdate({ ...(before ? { before } : {}), after, manager, now: nowSeconds(), ...(subresource ? { subresource } : {}) });
}

function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function withDefaults(object: KubeObject): KubeObject {
  return applyDefaults(object);
}

/** Turns an algorithm's error into the Status the real server answers with. */
export function patchFailure(error: unknown, gr: GroupResource, name: string): StatusError | undefined {
  if (error instanceof ApplyConflictError) {
    const conflicts = error.conflicts;
    return new StatusError(
      {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: error.message,
        reason: 'Conflict',
        details: {
          name,
          ...(gr.group ? { group: gr.group } : {}),
          kind: gr.resource,
          causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: c.message, field: c.field })),
        },
        code: 409,
      },
      {},
      { cause: error },
    );
  }
  if (error instanceof PatchError) {
    const status = badRequest(error.message);
    return new StatusError({ ...status.status, details: { name, ...(gr.group ? { group: gr.group } : {}), kind: gr.resource } }, {}, { cause: error });
  }
  return undefined;
}

