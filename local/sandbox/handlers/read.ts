// GET of one object (or its status / scale view) and LIST of a collection.
import { toScale } from './scale.ts';
import type { Call, Reply } from './call.ts';

export function getObject(call: Call): Reply {
  const { objects, type, info } = call;
  // Only serialised (or read into a Scale): no copy needed.
  const object = objects.read(type, info.namespace, info.name ?? '');
  return { code: 200, body: info.subresource === 'scale' ? toScale(type, object) : object };
}

export function listObjects(call: Call): Reply {
  const { objects, type, info, query } = call;
  const list = objects.list(type, info.namespace, {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
  });
  return { code: 200, body: list };
}
