// Decodes a protobuf message into the JSON object the API server would have built from it,
// driven by the descriptor table: fields by number, zero values of non-pointer fields left
// out (gogo-protobuf writes them all, JSON omits them), pointer fields kept as sent, inlined
// structs merged into their parent, and apimachinery's special messages in their JSON forms.
// A field the table does not know is skipped when it carries nothing and refused otherwise,
// so nothing kubectl sends is silently lost.
import { formatTime } from '../server-fields.ts';
import { messageOf, type Field, type FieldType, type Message } from './descriptors.ts';
import { isZeroRecord, readRecords, readVarint, type WireRecord } from './wire.ts';

export class UndecodableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndecodableError';
  }
}

type Json = unknown;

export function decodeMessage(bytes: Buffer, message: Message, path: string): Record<string, Json> {
  const out: Record<string, Json> = {};
  const seen = new Map<string, Field>();
  for (const record of readRecords(bytes)) {
    const field = message.fields.get(record.field);
    if (!field) {
      if (isZeroRecord(record)) continue;
      throw new UndecodableError(`field ${record.field} of ${message.name} at ${path || 'the object'} is not one the sandbox decodes`);
    }
    const at = path ? `${path}.${field.name}` : field.name;
    seen.set(field.name, field);
    if ('map' in field.type) {
      const [key, value] = decodeMapEntry(record, field.type.map, at);
      out[field.name] = { ...(out[field.name] as object | undefined), [key]: value };
    } else if (field.repeated) {
      const items = (out[field.name] as Json[] | undefined) ?? [];
      items.push(...decodeRepeated(record, field.type, at));
      out[field.name] = items;
    } else {
      out[field.name] = decodeValue(record, field.type, at);
    }
  }
  for (const [name, field] of seen) {
    if (!field.pointer && !field.always && isEmpty(out[name])) delete out[name];
    else if (out[name] === undefined) delete out[name];
  }
  for (const [name, field] of seen) {
    if (!field.inline || out[name] === undefined) continue;
    const inlined = out[name] as Record<string, Json>;
    delete out[name];
    Object.assign(out, inlined);
  }
  return out;
}

function isEmpty(value: Json): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

function decodeRepeated(record: WireRecord, type: FieldType, at: string): Json[] {
  // Packed numbers: one length-delimited record holding the varints one after another.
  if ('scalar' in type && ['bool', 'int32', 'int64'].includes(type.scalar) && Buffer.isBuffer(record.value) && record.wire === 2) {
    const values: Json[] = [];
    for (let offset = 0; offset < record.value.length;) {
      const [value, next] = readVarint(record.value, offset);
      values.push(scalar(value, type.scalar, at));
      offset = next;
    }
    return values;
  }
  return [decodeValue(record, type, at)];
}

/** A map entry: key = 1, value = 2; a missing part is its type's zero value, as in Go. */
function decodeMapEntry(record: WireRecord, valueType: FieldType, at: string): [string, Json] {
  let key = '';
  let value: WireRecord = zeroRecord(valueType);
  for (const entry of readRecords(expectBytes(record, at))) {
    if (entry.field === 1) key = expectBytes(entry, at).toString('utf8');
    else if (entry.field === 2) value = entry;
  }
  return [key, decodeValue(value, valueType, `${at}[${key}]`)];
}

function zeroRecord(type: FieldType): WireRecord {
  const varint = 'scalar' in type && ['bool', 'int32', 'int64'].includes(type.scalar);
  return varint ? { field: 2, wire: 0, value: 0n } : { field: 2, wire: 2, value: Buffer.alloc(0) };
}

function decodeValue(record: WireRecord, type: FieldType, at: string): Json {
  if ('scalar' in type) {
    if (type.scalar === 'string') return expectBytes(record, at).toString('utf8');
    if (type.scalar === 'bytes') return expectBytes(record, at).toString('base64');
    if (typeof record.value !== 'bigint') throw new UndecodableError(`${at}: expected a number`);
    return scalar(record.value, type.scalar, at);
  }
  if ('special' in type) return special(expectBytes(record, at), type.special, at);
  if ('message' in type) return decodeMessage(expectBytes(record, at), messageOf(type.message), at);
  throw new UndecodableError(`${at}: a map cannot be a value`);
}

function scalar(value: bigint, type: string, at: string): Json {
  if (type === 'bool') return value !== 0n;
  if (type === 'int32') return Number(BigInt.asIntN(32, value));
  if (type === 'int64') return Number(BigInt.asIntN(64, value));
  throw new UndecodableError(`${at}: expected ${type}`);
}

function expectBytes(record: WireRecord, at: string): Buffer {
  if (record.wire !== 2 || typeof record.value === 'bigint')
    throw new UndecodableError(`${at}: expected a length-delimited field, got wire type ${record.wire}`);
  return record.value;
}

/** Field values of a small message by number (Time, Quantity, IntOrString...). */
function fieldsOf(bytes: Buffer): Map<number, WireRecord> {
  return new Map(readRecords(bytes).map((record) => [record.field, record]));
}

function special(bytes: Buffer, type: string, at: string): Json {
  const fields = fieldsOf(bytes);
  const number = (n: number) => {
    const value = fields.get(n)?.value;
    return typeof value === 'bigint' ? BigInt.asIntN(64, value) : 0n;
  };
  const text = (n: number) => {
    const value = fields.get(n)?.value;
    return Buffer.isBuffer(value) ? value.toString('utf8') : '';
  };
  switch (type) {
    case 'Time': {
      // meta.v1.Timestamp: seconds = 1, nanos = 2; JSON has whole seconds (RFC 3339).
      const seconds = number(1);
      return seconds === 0n && number(2) === 0n ? undefined : formatTime(new Date(Number(seconds) * 1000));
    }
    case 'MicroTime': {
      const seconds = number(1);
      const nanos = number(2);
      if (seconds === 0n && nanos === 0n) return undefined;
      const micros = String(Math.floor(Number(nanos) / 1000)).padStart(6, '0');
      return formatTime(new Date(Number(seconds) * 1000)).replace(/Z$/, `.${micros}Z`);
    }
    case 'Quantity':
      // resource.Quantity: string = 1.
      return text(1);
    case 'IntOrString':
      // intstr.IntOrString: type = 1 (0 int, 1 string), intVal = 2, strVal = 3.
      return number(1) === 1n ? text(3) : Number(BigInt.asIntN(32, number(2)));
    case 'RawExtension':
    case 'FieldsV1': {
      // runtime.RawExtension raw = 1, meta.v1.FieldsV1 Raw = 1: JSON bytes.
      const raw = text(1);
      if (raw === '') return undefined;
      try {
        return JSON.parse(raw) as Json;
      } catch {
        throw new UndecodableError(`${at}: the embedded object is not JSON`);
      }
    }
    default:
      throw new UndecodableError(`${at}: unknown special message ${type}`);
  }
}
