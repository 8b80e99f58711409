// age master keys: the data key is an armored age file to the recipient, opened with
// age-encryption and the X25519 identities given here (`AGE-SECRET-KEY-1…` lines, as
// SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, sops's keys.txt or a Secrets Manager secret hold them).
import { armor, Decrypter, identityToRecipient } from 'age-encryption';
import type { AgeStanza } from '../sops/metadata.ts';

export type AgeOpener = (stanza: AgeStanza) => Promise<Uint8Array | undefined>;

/** An opener over the identities in these texts (comments and blank lines ignored). */
export function ageOpener(identityTexts: () => Promise<string[]>): AgeOpener {
  let identities: Promise<Map<string, string>> | undefined;
  return async (stanza) => {
    identities ??= identityTexts().then(byRecipient);
    const identity = (await identities).get(stanza.recipient);
    if (!identity) return undefined;
    const decrypter = new Decrypter();
    decrypter.addIdentity(identity);
    return decrypter.decrypt(armor.decode(stanza.enc), 'uint8array');
  };
}

/** Each identity under the recipient it answers to, so only the matching one is tried. */
async function byRecipient(texts: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const text of texts) {
    for (const line of text.split(/\r?\n/)) {
      const identity = line.trim();
      if (!identity.startsWith('AGE-SECRET-KEY-')) continue;
      map.set(await identityToRecipient(identity), identity);
    }
  }
  return map;
}
