// The protobuf wire format (protobuf.dev/programming-guides/encoding): a message is a run of
// (field number, wire type, value) records. Only what Kubernetes' messages use is read as a
// value (varints and length-delimited bytes); fixed-width records are still walked over so an
// unknown field of that kind can be skipped or named.

export interface WireRecord {
  field: number;
  wire: number;
  /** Varints as bigint, length-delimited records as their bytes, fixed-width ones as their bytes. */
  value: bigint | Buffer;
}

export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

export function readVarint(buffer: Buffer, offset: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = offset; i < buffer.length && shift < 70n; i++) {
    const byte = buffer[i];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, i + 1];
    shift += 7n;
  }
  throw new WireError('truncated varint');
}

export function readRecords(buffer: Buffer): WireRecord[] {
  const records: WireRecord[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const [key, afterKey] = readVarint(buffer, offset);
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [value, next] = readVarint(buffer, afterKey);
      records.push({ field, wire, value });
      offset = next;
    } else if (wire === 2) {
      const [length, start] = readVarint(buffer, afterKey);
      const end = start + Number(length);
      if (end > buffer.length) throw new WireError(`truncated field ${field}`);
      records.push({ field, wire, value: buffer.subarray(start, end) });
      offset = end;
    } else if (wire === 1 || wire === 5) {
      const end = afterKey + (wire === 1 ? 8 : 4);
      if (end > buffer.length) throw new WireError(`truncated field ${field}`);
      records.push({ field, wire, value: buffer.subarray(afterKey, end) });
      offset = end;
    } else {
      throw new WireError(`unexpected wire type ${wire} for field ${field}`);
    }
  }
  return records;
}

/**
 * A record that carries nothing: what gogo-protobuf writes for an unset non-pointer field,
 * a zero number, an empty string, or a struct all of whose fields are such (kubectl sends an
 * empty `status: {}` of a Deployment as its zero counters).
 */
export function isZeroRecord(record: WireRecord): boolean {
  if (typeof record.value === 'bigint') return record.value === 0n;
  if (record.wire !== 2) return record.value.every((byte) => byte === 0);
  if (record.value.length === 0) return true;
  try {
    return readRecords(record.value).every(isZeroRecord);
  } catch {
    // Not a message: bytes or a string with something in it.
    return false;
  }
}
