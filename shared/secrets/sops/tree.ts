// The values of a SOPS document, decrypted, and the MAC over them. Facts from sops's
// documentation and its tree walk:
//   - every leaf is visited in document order, mapping values and list items alike; a list
//     item's path is its list's (keys only, no indexes);
//   - whether a leaf is encrypted follows the file's one rule, tested on every key of its path
//     (`unencrypted_suffix`: no key ends with it; `encrypted_suffix` / `encrypted_regex`: some
//     key ends with / matches it; `unencrypted_regex`: no key matches it);
//   - the additional data of an encrypted leaf is its path joined with `:`, plus a final `:`;
//   - the MAC is SHA-512 over every leaf's plaintext (encrypted or not, comments excluded),
//     written as upper-case hex, stored encrypted with the lastmodified timestamp as
//     additional data. Booleans enter it as Go's `True` / `False`, numbers in Go's decimal form.
// Comments are not part of the values (the YAML reader drops them), nor of the MAC.
import { createHash, type Hash } from 'node:crypto';
import { decryptValue, isEncryptedValue, restoreType } from './cipher.ts';
import type { EncryptionRule } from './metadata.ts';

export class TreeError extends Error {
  constructor(path: readonly string[], detail: string, options?: ErrorOptions) {
    super(`${path.length > 0 ? path.join('.') : 'the document'}: ${detail}`, options);
    this.name = 'TreeError';
  }
}

export interface DecryptedTree {
  /** The document without its `sops` block, every value in its own type. */
  value: Record<string, unknown>;
  /** Upper-case hex SHA-512 over the plaintext values, to compare with the file's MAC. */
  mac: string;
}

/** Throws a TreeError naming the path (never the value) of the first leaf that does not decrypt. */
export function decryptTree(document: Record<string, unknown>, dataKey: Uint8Array, rule: EncryptionRule): DecryptedTree {
  const hash = createHash('sha512');
  const value: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(document)) {
    if (key === 'sops') continue;
    value[key] = walk(item, [key], { dataKey, rule, hash });
  }
  return { value, mac: hash.digest('hex').toUpperCase() };
}

interface Walk {
  dataKey: Uint8Array;
  rule: EncryptionRule;
  hash: Hash;
}

function walk(node: unknown, path: string[], context: Walk): unknown {
  if (Array.isArray(node)) return node.map((item) => walk(item, path, context));
  if (isMapping(node)) return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...path, key], context)]));
  // sops leaves empty strings (and nulls) as they are: there is nothing to hide.
  if (!isEncrypted(path, context.rule) || node === '' || node === null) {
    context.hash.update(macText(node, path));
    return node;
  }
  if (!isEncryptedValue(node)) throw new TreeError(path, "is not encrypted, though the file's rules say it must be (edited by hand?)");
  let plain;
  try {
    plain = decryptValue(node, context.dataKey, `${path.join(':')}:`);
  } catch (cause) {
    throw new TreeError(path, (cause as Error).message, { cause });
  }
  let restored: unknown;
  try {
    restored = restoreType(plain);
  } catch (cause) {
    throw new TreeError(path, (cause as Error).message, { cause });
  }
  // The plaintext is the text sops encrypted, which is its MAC form but for booleans.
  context.hash.update(typeof restored === 'boolean' ? goBool(restored) : plain.text);
  return restored;
}

function isEncrypted(path: readonly string[], rule: EncryptionRule): boolean {
  switch (rule.kind) {
    case 'unencrypted_suffix':
      return !path.some((key) => key.endsWith(rule.value));
    case 'encrypted_suffix':
      return path.some((key) => key.endsWith(rule.value));
    case 'encrypted_regex':
      return path.some((key) => rule.value.test(key));
    case 'unencrypted_regex':
      return !path.some((key) => rule.value.test(key));
  }
}

/** A plain leaf as sops's MAC reads it. */
function macText(value: unknown, path: readonly string[]): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return goBool(value);
  if (typeof value === 'number') return goDecimal(value);
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  throw new TreeError(path, `holds a value of type ${typeof value}, which sops does not write`);
}

function goBool(value: boolean): string {
  return value ? 'True' : 'False';
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64) (and Itoa for integers): the shortest digits, never an exponent. */
export function goDecimal(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, rest = '', exponentText] = match;
  const digits = lead + rest;
  const exponent = Number(exponentText);
  if (exponent >= 0)
    return sign + (digits.length <= exponent + 1 ? digits.padEnd(exponent + 1, '0') : `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`);
  return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
