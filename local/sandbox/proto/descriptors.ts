// Reads the descriptor table of ./messages.ts into field lookups, resolving message names
// within their package, once per message. A name that resolves to nothing is our own bug in
// the table; it is reported with the message and field it is in.
import { GROUP_VERSION_PACKAGES, PACKAGES } from './messages.ts';

export type Scalar = 'string' | 'bytes' | 'bool' | 'int32' | 'int64';
/** Messages with a JSON form of their own (k8s.io/apimachinery). */
export type Special = 'Time' | 'MicroTime' | 'Quantity' | 'IntOrString' | 'RawExtension' | 'FieldsV1';

export type FieldType = { scalar: Scalar } | { special: Special } | { message: string } | { map: FieldType };

export interface Field {
  number: number;
  name: string;
  type: FieldType;
  repeated: boolean;
  /** A Go pointer: present means set, even to a zero value. */
  pointer: boolean;
  /** No `omitempty`: emitted even when zero. */
  always: boolean;
  /** `json:",inline"`: the message's fields belong to the parent. */
  inline: boolean;
}

export interface Message {
  /** `core.v1.Container`. */
  name: string;
  fields: ReadonlyMap<number, Field>;
}

const SCALARS = new Set<string>(['string', 'bytes', 'bool', 'int32', 'int64']);
const SPECIALS = new Set<string>(['Time', 'MicroTime', 'Quantity', 'IntOrString', 'RawExtension', 'FieldsV1']);

const cache = new Map<string, Message>();

/** The message `name` (`core.v1.Container`), parsed. */
export function messageOf(name: string): Message {
  const cached = cache.get(name);
  if (cached) return cached;
  const { pkg, local } = splitName(name);
  const lines = PACKAGES[pkg]?.[local];
  if (!lines) throw new Error(`protobuf descriptor table: no message ${name}`);
  const fields = new Map<number, Field>();
  for (const line of lines) {
    const field = parseField(line, pkg, name);
    if (fields.has(field.number)) throw new Error(`protobuf descriptor table: field ${field.number} twice in ${name}`);
    fields.set(field.number, field);
  }
  const message = { name, fields };
  cache.set(name, message);
  return message;
}

/** The message of a top-level kind, as the envelope names it; undefined when not decoded. */
export function kindMessage(apiVersion: string, kind: string): Message | undefined {
  const pkg = GROUP_VERSION_PACKAGES[apiVersion];
  if (!pkg || !PACKAGES[pkg][kind]) return undefined;
  const message = messageOf(`${pkg}.${kind}`);
  // Only objects are kinds: a message with ObjectMeta at 1, not a Container or a PodSpec.
  const metadata = message.fields.get(1);
  return metadata && 'message' in metadata.type && metadata.type.message === 'meta.v1.ObjectMeta' ? message : undefined;
}

/** Every message of the table, for checking that each reference resolves. */
export function allMessageNames(): string[] {
  return Object.entries(PACKAGES).flatMap(([pkg, messages]) => Object.keys(messages).map((local) => `${pkg}.${local}`));
}

function splitName(name: string): { pkg: string; local: string } {
  const parts = name.split('.');
  return { pkg: parts.slice(0, 2).join('.'), local: parts.slice(2).join('.') };
}

function parseField(line: string, pkg: string, owner: string): Field {
  const [number, name, type, ...flags] = line.split(' ');
  const where = `${owner} field ${number}`;
  if (!/^\d+$/.test(number) || !name || !type) throw new Error(`protobuf descriptor table: cannot read "${line}" in ${owner}`);
  for (const flag of flags) if (!['*', '?', '!', '^'].includes(flag)) throw new Error(`protobuf descriptor table: unknown flag ${flag} in ${where}`);
  return {
    number: Number(number),
    name,
    type: parseType(type, pkg, where),
    repeated: flags.includes('*'),
    pointer: flags.includes('?'),
    always: flags.includes('!'),
    inline: flags.includes('^'),
  };
}

function parseType(type: string, pkg: string, where: string): FieldType {
  const map = /^map<string,(.+)>$/.exec(type);
  if (map) return { map: parseType(map[1], pkg, where) };
  if (SCALARS.has(type)) return { scalar: type as Scalar };
  if (SPECIALS.has(type)) return { special: type as Special };
  const full = type.split('.').length >= 3 ? type : `${pkg}.${type}`;
  const { pkg: target, local } = splitName(full);
  if (!PACKAGES[target]?.[local]) throw new Error(`protobuf descriptor table: ${where} refers to unknown message ${type}`);
  return { message: full };
}
