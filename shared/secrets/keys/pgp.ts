// PGP master keys: the data key is an OpenPGP message to the key's fingerprint, opened with
// openpgp.js and the private keys given here: armored keys (SOPS_PGP_KEY, or a file), or the
// GnuPG keyring of GNUPGHOME exported through the `gpg` binary (GnuPG 2 keeps private keys in
// its own format, which only gpg reads). Passphrase-protected keys are not supported: a worker
// has nobody to ask.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as openpgp from 'openpgp';
import type { PgpStanza } from '../sops/metadata.ts';

const run = promisify(execFile);

export type PgpOpener = (stanza: PgpStanza) => Promise<Uint8Array | undefined>;

/** An opener over these armored private keys (each block may hold several). */
export function pgpOpener(armoredKeys: () => Promise<string[]>): PgpOpener {
  let keys: Promise<openpgp.PrivateKey[]> | undefined;
  return async (stanza) => {
    keys ??= armoredKeys().then(readKeys);
    const held = (await keys).filter((key) => holds(key, stanza.fp));
    if (held.length === 0) return undefined;
    const message = await openpgp.readMessage({ armoredMessage: stanza.enc });
    const { data } = await openpgp.decrypt({ message, decryptionKeys: held, format: 'binary' });
    return data as Uint8Array;
  };
}

/** The secret keys of a GnuPG home, armored, through `gpg --export-secret-keys`; none when gpg or the home is missing. */
export async function gnupgSecretKeys(home: string): Promise<string[]> {
  try {
    const { stdout } = await run('gpg', ['--homedir', home, '--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--armor', '--export-secret-keys'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim() === '' ? [] : [stdout];
  } catch {
    return [];
  }
}

async function readKeys(armored: string[]): Promise<openpgp.PrivateKey[]> {
  const keys: openpgp.PrivateKey[] = [];
  for (const block of armored) {
    for (const key of await openpgp.readPrivateKeys({ armoredKeys: block })) {
      // A key still locked by a passphrase cannot decrypt; leave it out rather than fail every file.
      if (key.isDecrypted()) keys.push(key);
    }
  }
  return keys;
}

/** Whether the key (primary or a subkey) has this fingerprint; sops records the primary key's. */
function holds(key: openpgp.PrivateKey, fingerprint: string): boolean {
  const wanted = fingerprint.toUpperCase();
  return [key, ...key.getSubkeys()].some((part) => part.getFingerprint().toUpperCase() === wanted);
}
