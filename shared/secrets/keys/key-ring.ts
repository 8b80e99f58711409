// Where the data key of a SOPS document can be opened: one opener per kind of master key.
// Each returns the 32-byte data key, or undefined when it holds no key for that stanza (a
// private key it does not have, an identity that does not match); a key service that fails
// throws a KeyServiceError (retried), a key service that refuses throws a SopsKeyError-worthy
// Error the caller names. Implementations: pgp.ts, age.ts, kms.ts; environment.ts builds them.
import type { AgeStanza, KmsStanza, PgpStanza } from '../sops/metadata.ts';

export interface SopsKeyRing {
  pgp?(stanza: PgpStanza): Promise<Uint8Array | undefined>;
  age?(stanza: AgeStanza): Promise<Uint8Array | undefined>;
  kms?(stanza: KmsStanza): Promise<Uint8Array | undefined>;
}

/** What a project lets its apps decrypt with: Project `spec.decryption.sops`, AppProject annotations. */
export interface SopsKeyRules {
  /** AWS KMS key ARNs, exactly as the files' `sops.kms[].arn` name them. */
  kmsKeys?: string[];
  /** age recipients (`age1…`), as in `sops.age[].recipient`. */
  ageRecipients?: string[];
  /** PGP fingerprints (40 hex digits, any case), as in `sops.pgp[].fp`. */
  pgpFingerprints?: string[];
}

/** A SOPS data key is 32 bytes (AES-256); anything else is a wrong key or a corrupt stanza. */
export const DATA_KEY_BYTES = 32;
