// One SOPS document → its plaintext, as `sops --decrypt` gives it, or an error naming the file:
//   metadata → the MAC must be there → the master keys the project allows → the first one a
//   key held here opens gives the data key → every value decrypted → the MAC checked.
// Without a MAC anyone who can write to the repository could swap one encrypted value for
// another, or add plain ones, unnoticed: sops refuses such a file unless told otherwise, and
// so does this, always.
import { KeyServiceError, SopsFormatError, SopsKeyError } from '../errors.ts';
import { DATA_KEY_BYTES, type SopsKeyRing, type SopsKeyRules } from '../keys/key-ring.ts';
import { decryptValue } from './cipher.ts';
import { readMetadata, type MasterKeys, type SopsMetadata } from './metadata.ts';
import { decryptTree } from './tree.ts';

export interface SopsPermission {
  /** The keys the project lets its apps use; undefined: any key held here (the CLI on a laptop). */
  allowed?: SopsKeyRules;
  /** Who allows them, for messages: `project team-a`. */
  by?: string;
}

/** `file` names the document in every error (`apps/web/secret.yaml (document 1)`). */
export async function decryptSopsDocument(
  document: Record<string, unknown> & { sops: Record<string, unknown> },
  file: string,
  keys: SopsKeyRing,
  permission: SopsPermission = {},
): Promise<Record<string, unknown>> {
  const metadata = readMetadata(document.sops, file);
  if (!metadata.mac)
    throw new SopsFormatError(file, 'the file has no MAC (sops.mac), so nothing proves its values are the ones sops encrypted; re-encrypt it with sops');
  const dataKey = await openDataKey(metadata, file, keys, permission);
  let tree;
  try {
    tree = decryptTree(document, dataKey, metadata.rule);
  } catch (cause) {
    throw new SopsFormatError(file, (cause as Error).message, { cause });
  }
  verifyMac(metadata, tree.mac, dataKey, file);
  return tree.value;
}

function verifyMac(metadata: SopsMetadata, computed: string, dataKey: Uint8Array, file: string): void {
  let stored: string;
  try {
    stored = decryptValue(metadata.mac as string, dataKey, metadata.lastModified).text;
  } catch (cause) {
    throw new SopsFormatError(file, 'the MAC (sops.mac) does not authenticate under the data key, or lastmodified was changed', { cause });
  }
  if (stored.toUpperCase() !== computed)
    throw new SopsFormatError(file, 'the MAC does not match the values: the file was changed outside sops; nothing of it is used');
}

type Candidate = { label: string; open: () => Promise<Uint8Array | undefined> | undefined };

async function openDataKey(metadata: SopsMetadata, file: string, keys: SopsKeyRing, permission: SopsPermission): Promise<Uint8Array> {
  const every = allKeys(metadata.keys);
  if (every.length === 0) throw new SopsKeyError(file, 'the file names no master key (kms, age or pgp) to open its data key with');
  const candidates = allowedCandidates(metadata.keys, keys, permission.allowed);
  if (candidates.length === 0) {
    const who = permission.by ?? 'the project';
    throw new SopsKeyError(file, `none of its keys (${every.join(', ')}) is one ${who} allows for decryption (decryption.sops)`);
  }
  const notes: string[] = [];
  let serviceFailure: KeyServiceError | undefined;
  for (const candidate of candidates) {
    try {
      const key = await candidate.open();
      if (key === undefined) {
        notes.push(`${candidate.label}: no such key here`);
        continue;
      }
      if (key.length !== DATA_KEY_BYTES) {
        notes.push(`${candidate.label}: opened, but not to a ${DATA_KEY_BYTES}-byte data key`);
        continue;
      }
      return key;
    } catch (error) {
      if (error instanceof KeyServiceError) serviceFailure ??= error;
      notes.push(`${candidate.label}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  // A key service that may answer next time is worth a retry; a key nobody holds is not.
  if (serviceFailure) throw new KeyServiceError(`${file}: SOPS: no data key yet (${notes.join('; ')})`, { cause: serviceFailure });
  throw new SopsKeyError(file, `no key held here opens its data key (${notes.join('; ')})`);
}

function allowedCandidates(master: MasterKeys, keys: SopsKeyRing, allowed: SopsKeyRules | undefined): Candidate[] {
  const fingerprints = allowed?.pgpFingerprints?.map((fp) => fp.toUpperCase());
  const candidates: Candidate[] = [];
  // Local keys first: they cost no request.
  for (const stanza of master.age) {
    if (allowed && !allowed.ageRecipients?.includes(stanza.recipient)) continue;
    candidates.push({ label: `age ${stanza.recipient}`, open: () => keys.age?.(stanza) });
  }
  for (const stanza of master.pgp) {
    if (fingerprints && !fingerprints.includes(stanza.fp)) continue;
    if (allowed && !fingerprints) continue;
    candidates.push({ label: `pgp ${stanza.fp}`, open: () => keys.pgp?.(stanza) });
  }
  for (const stanza of master.kms) {
    if (allowed && !allowed.kmsKeys?.includes(stanza.arn)) continue;
    candidates.push({ label: `kms ${stanza.arn}`, open: () => keys.kms?.(stanza) });
  }
  return candidates;
}

function allKeys(master: MasterKeys): string[] {
  return [
    ...master.kms.map((stanza) => `kms ${stanza.arn}`),
    ...master.age.map((stanza) => `age ${stanza.recipient}`),
    ...master.pgp.map((stanza) => `pgp ${stanza.fp}`),
  ];
}
