// Routes a resource request to its handler by verb and subresource, refusing what the
// resource does not support as the real server does (404 for unknown subresources,
// 405 for verbs the resource lacks).
import { methodNotAllowed, pathNotFound } from '../status.ts';
import type { Call, Reply } from './call.ts';
import { deleteCollection, deleteObject } from './delete.ts';
import { patchObjectCall } from './patch.ts';
import { getObject, listObjects } from './read.ts';
import { answerReview } from './review.ts';
import { createToken } from './token.ts';
import { createObject, updateObject } from './write.ts';

export type { Call, Reply } from './call.ts';

const SUBRESOURCE_VERBS = new Set(['get', 'update', 'patch']);

export function handleResource(call: Call): Reply {
  const { type, info } = call;
  const sub = info.subresource;
  if (sub === 'token' && type.tokenRequest && info.name !== undefined) {
    if (info.verb !== 'create') throw methodNotAllowed(type, info.verb);
    return createToken(call);
  }
  if (type.review && sub === undefined) {
    if (info.verb !== 'create' || info.name !== undefined) throw methodNotAllowed(type, info.verb);
    return answerReview(call);
  }
  if (sub !== undefined) {
    const served = (sub === 'status' && type.status) || (sub === 'scale' && type.scale !== undefined);
    if (!served || info.name === undefined) throw pathNotFound();
    if (!SUBRESOURCE_VERBS.has(info.verb)) throw methodNotAllowed(type, info.verb);
  } else if (!type.verbs.includes(info.verb)) {
    throw methodNotAllowed(type, info.verb);
  }
  switch (info.verb) {
    case 'get':
      return getObject(call);
    case 'list':
      return listObjects(call);
    case 'create':
      if (info.name !== undefined) throw methodNotAllowed(type, 'create');
      return createObject(call);
    case 'update':
      return updateObject(call);
    case 'patch':
      return patchObjectCall(call);
    case 'delete':
      return deleteObject(call);
    case 'deletecollection':
      return deleteCollection(call);
    default:
      throw methodNotAllowed(type, info.verb);
  }
}
