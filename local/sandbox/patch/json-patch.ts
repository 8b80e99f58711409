// JSON patch (RFC 6902) by fast-json-patch, with its failures reported as the operation
// that failed, so a client can tell which of its operations to fix.

import jsonpatch, { type Operation } from 'fast-json-patch';
import type { KubeObject } from '../../../shared/kube/object.ts';
import { PatchError } from './errors.ts';
import { isMap } from './values.ts';

export function jsonPatch(target: KubeObject, operations: unknown): KubeObject {
  if (!Array.isArray(operations)) throw new PatchError('json patch body must be a JSON array of operations');
  operations.forEach((operation, index) => {
    if (!isMap(operation)) throw new PatchError(`json patch operation ${index} must be an object`);
  });
  let result: unknown;
  try {
    result = jsonpatch.applyPatch(target, operations as Operation[], true, false).newDocument;
  } catch (error) {
    throw describeFailure(error, operations);
  }
  if (!isMap(result)) throw new PatchError('json patch must leave an object, not replace it with a non-object');
  return result as KubeObject;
}

function describeFailure(error: unknown, operations: unknown[]): PatchError {
  if (!(error instanceof jsonpatch.JsonPatchError)) {
    return new PatchError(`json patch failed: ${(error as Error).message}`, { cause: error });
  }
  const index = error.index ?? 0;
  const operation = (operations[index] ?? {}) as { op?: unknown; path?: unknown };
  // fast-json-patch appends a dump of the operation and document after the first line.
  const reason = error.name === 'TEST_OPERATION_FAILED' ? 'test failed: the value differs' : error.message.split('\n')[0];
  return new PatchError(`json patch operation ${index} (${String(operation.op)} ${String(operation.path)}): ${reason}`, { cause: error });
}
