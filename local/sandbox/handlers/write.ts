// POST (create) and PUT (update) of objects, their status and their scale.
import type { KubeObject } from '../../../shared/kube/object.ts';
import { conflict } from '../status.ts';
import { fromScale, toScale } from './scale.ts';
import { bodyObject, isDryRun, managerOf, type Call, type Reply } from './call.ts';

export function createObject(call: Call): Reply {
  const { objects, type, info } = call;
  const body = bodyObject(call) as KubeObject;
  const created = objects.create(type, info.namespace, body, { manager: managerOf(call), dryRun: isDryRun(call) });
  return { code: 201, body: created };
}

export function updateObject(call: Call): Reply {
  const { objects, type, info } = call;
  const name = info.name ?? '';
  const options = { manager: managerOf(call), dryRun: isDryRun(call), ...(info.subresource ? { subresource: info.subresource } : {}) };
  if (info.subresource === 'scale') {
    const live = objects.get(type, info.namespace, name);
    const scaled = fromScale(type, live, bodyObject(call));
    if (scaled.metadata.resourceVersion !== live.metadata.resourceVersion) throw conflict(type, name);
    const updated = objects.updatePatched(type, live, scaled, options);
    return { code: 200, body: toScale(type, updated) };
  }
  const updated = objects.update(type, info.namespace, name, bodyObject(call) as KubeObject, options);
  return { code: 200, body: updated };
}
