// Builds SOPS files for tests, as sops writes them, since the sops tool cannot run here. It is
// trusted only because sops-encoder.test.ts checks it against sops's own files first: with
// their data key it reproduces their MAC, and what it writes decrypts to the same values.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { encryptValue, type SopsValueType } from '../../../shared/secrets/sops/cipher.ts';
import { goDecimal } from '../../../shared/secrets/sops/tree.ts';

const run = promisify(execFile);

export type Rule = { unencrypted_suffix: string } | { encrypted_regex: string };

export interface Encoded {
  /** The document with every value to encrypt encrypted, without its sops block. */
  tree: Record<string, unknown>;
  /** The upper-case hex SHA-512 of the plaintext values. */
  mac: string;
}

export function encodeTree(plain: Record<string, unknown>, dataKey: Uint8Array, rule: Rule = { unencrypted_suffix: '_unencrypted' }): Encoded {
  const hash = createHash('sha512');
  const encrypted = (path: string[]) =>
    'unencrypted_suffix' in rule ? !path.some((key) => key.endsWith(rule.unencrypted_suffix)) : path.some((key) => new RegExp(rule.encrypted_regex).test(key));
  const walk = (node: unknown, path: string[]): unknown => {
    if (Array.isArray(node)) return node.map((item) => walk(item, path));
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...path, key])]));
    const [text, type, macText] = asText(node);
    hash.update(macText);
    if (!encrypted(path) || node === '' || node === null) return node;
    return encryptValue(text, type, dataKey, `${path.join(':')}:`);
  };
  const tree = walk(plain, []) as Record<string, unknown>;
  return { tree, mac: hash.digest('hex').toUpperCase() };
}

/** A whole SOPS document: the encoded tree and a sops block with the MAC and these master keys. */
export function sopsDocument(
  plain: Record<string, unknown>,
  dataKey: Uint8Array,
  keys: { age?: Array<{ recipient: string; enc: string }>; kms?: Array<{ arn: string; enc: string; context?: Record<string, string> }> },
  rule: Rule = { unencrypted_suffix: '_unencrypted' },
): Record<string, unknown> {
  const { tree, mac } = encodeTree(plain, dataKey, rule);
  const lastmodified = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    ...tree,
    sops: {
      kms: keys.kms ?? [],
      age: keys.age ?? [],
      lastmodified,
      mac: encryptValue(mac, 'str', dataKey, lastmodified),
      ...rule,
      version: '3.9.0',
    },
  };
}

/** A fresh age identity from the real age-keygen: its file and its recipient. */
export async function ageKeygen(file: string): Promise<string> {
  await run('age-keygen', ['-o', file]);
  const { stdout } = await run('age-keygen', ['-y', file]);
  return stdout.trim();
}

/** The data key encrypted to `recipient` by the real age binary, armored, as sops stores it. */
export async function ageEncrypt(dataKey: Uint8Array, recipient: string): Promise<string> {
  const child = execFile('age', ['-r', recipient, '-a']);
  const output = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`age exited ${code}`))));
  });
  child.stdin?.end(Buffer.from(dataKey));
  return output;
}

export function newDataKey(): Uint8Array {
  return randomBytes(32);
}

function asText(value: unknown): [string, SopsValueType, string] {
  if (typeof value === 'boolean') return [String(value), 'bool', value ? 'True' : 'False'];
  if (typeof value === 'number') return [goDecimal(value), Number.isInteger(value) ? 'int' : 'float', goDecimal(value)];
  if (value === null || value === undefined) return ['', 'str', ''];
  return [String(value), 'str', String(value)];
}
