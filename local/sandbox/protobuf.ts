// Decoding of the protobuf bodies kubectl sends for `kubectl create namespace|configmap|
// secret|serviceaccount` (its typed clients always write protobuf and never fall back to
// JSON on 415). Only these simple kinds are understood; anything else, or any field this
// table does not know, is refused with 415 rather than silently dropped.
import type { KubeObject } from '../../shared/kube/object.ts';
import { StatusError } from './errors.ts';
import { formatTime } from './server-fields.ts';
import { unsupportedMediaType } from './status.ts';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

type FieldType = 'string' | 'bytes' | 'int' | 'bool' | 'time' | Schema | { map: 'string' | 'bytes' };
interface Field {
  name: string;
  type: FieldType;
  repeated?: boolean;
}
type Schema = Record<number, Field>;

/** Fields numbered on from `first`, all of one type: the runs the schemas below are made of. */
function fields(first: number, type: FieldType, names: string[]): Schema {
  return Object.fromEntries(names.map((name, index) => [first + index, { name, type }]));
}

const OWNER_REFERENCE: Schema = {
  1: { name: 'kind', type: 'string' },
  ...fields(3, 'string', ['name', 'uid', 'apiVersion']),
  ...fields(6, 'bool', ['controller', 'blockOwnerDeletion']),
};

const OBJECT_META: Schema = {
  ...fields(1, 'string', ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion']),
  7: { name: 'generation', type: 'int' },
  ...fields(8, 'time', ['creationTimestamp', 'deletionTimestamp']),
  10: { name: 'deletionGracePeriodSeconds', type: 'int' },
  ...fields(11, { map: 'string' }, ['labels', 'annotations']),
  13: { name: 'ownerReferences', type: OWNER_REFERENCE, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
};

const OBJECT_REFERENCE: Schema = fields(1, 'string', ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']);

/** runtime.Unknown, the `k8s\0` envelope around the object's own bytes. */
const UNKNOWN: Schema = {
  1: { name: 'typeMeta', type: fields(1, 'string', ['apiVersion', 'kind']) },
  2: { name: 'raw', type: 'bytes' },
  ...fields(3, 'string', ['contentEncoding', 'contentType']),
};

const TIMESTAMP: Schema = fields(1, 'int', ['seconds', 'nanos']);

const MAP_ENTRY: Record<'string' | 'bytes', Schema> = {
  string: { 1: { name: 'key', type: 'string' }, 2: { name: 'value', type: 'string' } },
  bytes: { 1: { name: 'key', type: 'string' }, 2: { name: 'value', type: 'bytes' } },
};

const KINDS: Record<string, Schema> = {
  'v1/Namespace': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'spec', type: { 1: { name: 'finalizers', type: 'string', repeated: true } } },
    3: { name: 'status', type: { 1: { name: 'phase', type: 'string' } } },
  },
  'v1/ConfigMap': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'data', type: { map: 'string' } },
    3: { name: 'binaryData', type: { map: 'bytes' } },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/Secret': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'data', type: { map: 'bytes' } },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: { map: 'string' } },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ServiceAccount': {
    1: { name: 'metadata', type: OBJECT_META },
    2: { name: 'secrets', type: OBJECT_REFERENCE, repeated: true },
    3: { name: 'imagePullSecrets', type: { 1: { name: 'name', type: 'string' } }, repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
};

interface Entry {
  field: number;
  wire: number;
  value: bigint | Buffer;
}

function refuse(detail: string): StatusError {
  const { status } = unsupportedMediaType('application/vnd.kubernetes.protobuf', ['application/json', 'application/yaml']);
  const message = `${status.message} (the sandbox decodes protobuf only for Namespace, ConfigMap, Secret and ServiceAccount: ${detail}; send JSON, e.g. kubectl apply or kubectl create -f)`;
  return new StatusError({ ...status, message });
}

function readVarint(buffer: Buffer, offset: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = offset; i < buffer.length; i++) {
    const byte = buffer[i];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, i + 1];
    shift += 7n;
  }
  throw refuse('truncated varint');
}

function entries(buffer: Buffer): Entry[] {
  const out: Entry[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const [key, afterKey] = readVarint(buffer, offset);
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [value, next] = readVarint(buffer, afterKey);
      out.push({ field, wire, value });
      offset = next;
    } else if (wire === 2) {
      const [length, start] = readVarint(buffer, afterKey);
      const end = start + Number(length);
      if (end > buffer.length) throw refuse('truncated field');
      out.push({ field, wire, value: buffer.subarray(start, end) });
      offset = end;
    } else {
      throw refuse(`unexpected wire type ${wire}`);
    }
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  if (value === '' || value === false || value === 0 || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function decodeMessage(buffer: Buffer, schema: Schema, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { field, value } of entries(buffer)) {
    const spec = schema[field];
    if (!spec) {
      if (Buffer.isBuffer(value) && value.length === 0) continue;
      if (typeof value === 'bigint' && value === 0n) continue;
      throw refuse(`unknown field ${field} in ${path || 'object'}`);
    }
    const decoded = decodeValue(value, spec.type, `${path}.${spec.name}`);
    if (typeof spec.type === 'object' && 'map' in spec.type) {
      out[spec.name] = { ...(out[spec.name] as object | undefined), ...(decoded as object) };
    } else if (spec.repeated) {
      out[spec.name] = [...((out[spec.name] as unknown[] | undefined) ?? []), decoded];
    } else {
      out[spec.name] = decoded;
    }
  }
  // Proto2 writes every non-pointer field; JSON omits the empty ones, so do we.
  for (const [key, value] of Object.entries(out)) if (isEmpty(value) && !Array.isArray(value)) delete out[key];
  return out;
}

function decodeValue(value: bigint | Buffer, type: FieldType, path: string): unknown {
  if (type === 'int') return Number(value as bigint);
  if (type === 'bool') return (value as bigint) !== 0n;
  const bytes = value as Buffer;
  if (type === 'string') return bytes.toString('utf8');
  if (type === 'bytes') return bytes.toString('base64');
  if (type === 'time') {
    const time = decodeMessage(bytes, TIMESTAMP, path);
    return time.seconds ? formatTime(new Date(Number(time.seconds) * 1000)) : undefined;
  }
  if ('map' in type) {
    const entry = decodeMessage(bytes, MAP_ENTRY[type.map], path);
    return { [String(entry.key ?? '')]: entry.value ?? '' };
  }
  return decodeMessage(bytes, type, path);
}

/** Decodes a `k8s\0`-enveloped protobuf object of one of the supported kinds. */
export function decodeProtobuf(body: Buffer): KubeObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw refuse('missing k8s envelope');
  const unknown = decodeMessage(body.subarray(4), UNKNOWN, '');
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const key = `${typeMeta.apiVersion}/${typeMeta.kind}`;
  const schema = KINDS[key];
  if (!schema) throw refuse(`kind ${typeMeta.kind ?? '?'} of ${typeMeta.apiVersion ?? '?'}`);
  const raw = Buffer.from(String(unknown.raw ?? ''), 'base64');
  const object = decodeMessage(raw, schema, '');
  return { apiVersion: typeMeta.apiVersion ?? '', kind: typeMeta.kind ?? '', ...object, metadata: (object.metadata ?? {}) as KubeObject['metadata'] };
}
