// The `sops` block of a document, as the sops tool writes it (YAML or JSON alike): the data
// key wrapped once per master key (`kms`, `age`, `pgp`, or the same inside `key_groups`), the
// MAC, when it was last modified (the MAC's additional data), and which values the file
// encrypts (`unencrypted_suffix` by default `_unencrypted`, or one of `encrypted_suffix`,
// `encrypted_regex`, `unencrypted_regex`). Read here, checked, and nothing else.
import { SopsFormatError } from '../errors.ts';

export interface KmsStanza {
  arn: string;
  /** Base64 CiphertextBlob of the data key. */
  enc: string;
  /** KMS encryption context the data key was wrapped with. */
  context?: Record<string, string>;
  /** A role sops assumed to call KMS; Driftless uses its own credentials and says so if Decrypt is refused. */
  role?: string;
}

export interface AgeStanza {
  recipient: string;
  /** An armored age file holding the data key. */
  enc: string;
}

export interface PgpStanza {
  fp: string;
  /** An armored OpenPGP message holding the data key. */
  enc: string;
}

export interface MasterKeys {
  kms: KmsStanza[];
  age: AgeStanza[];
  pgp: PgpStanza[];
}

export type EncryptionRule =
  | { kind: 'unencrypted_suffix'; value: string }
  | { kind: 'encrypted_suffix'; value: string }
  | { kind: 'encrypted_regex'; value: RegExp }
  | { kind: 'unencrypted_regex'; value: RegExp };

export interface SopsMetadata {
  keys: MasterKeys;
  /** The encrypted MAC; absent in a file without one, which is refused. */
  mac?: string;
  lastModified: string;
  rule: EncryptionRule;
  version?: string;
}

/** Whether a document carries sops's metadata: a top-level `sops` mapping as the tool writes it. */
export function isSopsDocument(value: unknown): value is Record<string, unknown> & { sops: Record<string, unknown> } {
  if (!isMapping(value) || !isMapping(value.sops)) return false;
  return ['lastmodified', 'mac', 'version'].some((field) => field in (value.sops as Record<string, unknown>));
}

export function readMetadata(sops: Record<string, unknown>, file: string): SopsMetadata {
  const fail = (detail: string): never => {
    throw new SopsFormatError(file, detail);
  };
  if (sops.mac_only_encrypted === true) fail('mac_only_encrypted is not supported here: re-encrypt the file without it');
  const groups = sops.key_groups;
  let keys: MasterKeys;
  if (Array.isArray(groups) && groups.length > 0) {
    // Several groups split the data key with Shamir's scheme: every group's share is needed.
    if (groups.length > 1) fail(`the data key is split over ${groups.length} key groups (shamir_threshold), which is not supported: use one group`);
    keys = masterKeys(isMapping(groups[0]) ? groups[0] : {}, fail);
  } else keys = masterKeys(sops, fail);
  const lastModified = sops.lastmodified instanceof Date ? rfc3339(sops.lastmodified) : sops.lastmodified;
  if (typeof lastModified !== 'string' || lastModified === '') fail('the sops block has no lastmodified');
  const mac = sops.mac;
  if (mac !== undefined && mac !== null && typeof mac !== 'string') fail('sops.mac is not a string');
  const metadata: SopsMetadata = { keys, lastModified: lastModified as string, rule: encryptionRule(sops, fail) };
  if (typeof mac === 'string' && mac !== '') metadata.mac = mac;
  if (typeof sops.version === 'string') metadata.version = sops.version;
  return metadata;
}

function masterKeys(block: Record<string, unknown>, fail: (detail: string) => never): MasterKeys {
  const list = (name: string): Array<Record<string, unknown>> => {
    const value = block[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every(isMapping)) return fail(`sops.${name} is not a list of keys`);
    return value;
  };
  const text = (entry: Record<string, unknown>, field: string, where: string): string => {
    const value = entry[field];
    if (typeof value !== 'string' || value === '') return fail(`a ${where} key has no ${field}`);
    return value;
  };
  return {
    kms: list('kms').map((entry) => {
      const stanza: KmsStanza = { arn: text(entry, 'arn', 'kms'), enc: text(entry, 'enc', 'kms') };
      if (isMapping(entry.context)) stanza.context = Object.fromEntries(Object.entries(entry.context).map(([key, value]) => [key, String(value)]));
      if (typeof entry.role === 'string' && entry.role !== '') stanza.role = entry.role;
      return stanza;
    }),
    age: list('age').map((entry) => ({ recipient: text(entry, 'recipient', 'age'), enc: text(entry, 'enc', 'age') })),
    pgp: list('pgp').map((entry) => ({ fp: text(entry, 'fp', 'pgp').toUpperCase(), enc: text(entry, 'enc', 'pgp') })),
  };
}

function encryptionRule(sops: Record<string, unknown>, fail: (detail: string) => never): EncryptionRule {
  const set = (['unencrypted_suffix', 'encrypted_suffix', 'encrypted_regex', 'unencrypted_regex'] as const).filter(
    (field) => typeof sops[field] === 'string' && sops[field] !== '',
  );
  if (set.length > 1) fail(`the sops block sets ${set.join(' and ')}; sops allows one`);
  const field = set[0];
  if (field === undefined) return { kind: 'unencrypted_suffix', value: '_unencrypted' };
  const value = sops[field] as string;
  if (field === 'unencrypted_suffix' || field === 'encrypted_suffix') return { kind: field, value };
  try {
    return { kind: field, value: new RegExp(value, 'u') };
  } catch (cause) {
    return fail(`sops.${field} is not a regular expression this decryptor can read (${(cause as Error).message})`);
  }
}

/** Go's time.RFC3339, which sops formats lastmodified with. */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
