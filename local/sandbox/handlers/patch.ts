// PATCH in its four content types; server-side apply creates a missing object (201).
import type { KubeObject } from '../../../shared/kube/object.ts';
import { patchFailure, patchObject, patchTypeOf, PATCH_TYPES } from '../patching.ts';
import { StatusError } from '../errors.ts';
import { badRequest, unsupportedMediaType } from '../status.ts';
import { fromScale, toScale } from './scale.ts';
import { bodyObject, isDryRun, managerOf, type Call, type Reply } from './call.ts';

export function patchObjectCall(call: Call): Reply {
  try {
    return patch(call);
  } catch (error) {
    if (error instanceof StatusError) throw error;
    throw patchFailure(error, call.type, call.info.name ?? '') ?? error;
  }
}

function patch(call: Call): Reply {
  const { objects, type, info, query } = call;
  const name = info.name ?? '';
  const patchType = patchTypeOf(call.contentType);
  if (!patchType) throw unsupportedMediaType(call.contentType ?? '', Object.keys(PATCH_TYPES));
  const dryRun = isDryRun(call);
  if (call.body === undefined) throw badRequest('the body of the request was empty');

  if (patchType === 'apply') {
    const manager = query.get('fieldManager');
    if (!manager) throw badRequest('PATCH, application/apply-patch+yaml requests require a fieldManager query parameter');
    if (info.subresource === 'scale') throw badRequest('apply is not supported on the scale subresource in the sandbox');
    const force = query.get('force') === 'true';
    const applied = bodyObject(call) as KubeObject;
    if (!applied.apiVersion || !applied.kind) throw badRequest('invalid object type: apiVersion and kind must be set in an apply request');
    const result = objects.apply(type, info.namespace, name, applied, {
      manager,
      force,
      dryRun,
      ...(info.subresource ? { subresource: info.subresource } : {}),
    });
    return { code: result.created ? 201 : 200, body: result.object };
  }

  const manager = managerOf(call);
  const live = objects.get(type, info.namespace, name);
  if (info.subresource === 'scale') {
    const scale = toScale(type, live);
    const patchedScale = patchObject(patchType, scale, call.body);
    const next = fromScale(type, live, patchedScale);
    const updated = objects.updatePatched(type, live, next, { manager, dryRun, subresource: 'scale' });
    return { code: 200, body: toScale(type, updated) };
  }
  const patched = patchObject(patchType, live, call.body);
  const updated = objects.updatePatched(type, live, patched, { manager, dryRun, ...(info.subresource ? { subresource: info.subresource } : {}) });
  return { code: 200, body: updated };
}
