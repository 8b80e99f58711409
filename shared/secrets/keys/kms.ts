// AWS KMS master keys: the data key is a KMS ciphertext (base64 in `enc`) for the key `arn`,
// opened with KMS Decrypt (KeyId pinned to that ARN, the file's encryption context passed) by
// the worker's own credentials. Which ARNs may be used at all is the project's rule, checked
// before this is called. KMS refusing (access denied, a disabled key, a ciphertext of another
// key) is the file's or the project's problem; KMS failing (throttled, unreachable) is retried.
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { KeyServiceError } from '../errors.ts';
import type { KmsStanza } from '../sops/metadata.ts';

export type KmsOpener = (stanza: KmsStanza) => Promise<Uint8Array | undefined>;

/** Errors KMS answers when this key cannot open this ciphertext, whatever we retry. */
const REFUSALS = new Set([
  'AccessDeniedException',
  'IncorrectKeyException',
  'InvalidCiphertextException',
  'NotFoundException',
  'DisabledException',
  'KMSInvalidStateException',
  'InvalidKeyUsageException',
  'KeyUnavailableException',
  'InvalidGrantTokenException',
  'ValidationException',
]);

export class KmsRefusedError extends Error {
  constructor(arn: string, code: string, options?: ErrorOptions) {
    super(`KMS refused to decrypt the data key with ${arn} (${code})`, options);
    this.name = 'KmsRefusedError';
  }
}

/** The client per region of the key's ARN: a file may name keys of several regions. */
export function kmsOpener(clientFor: (region: string) => KMSClient = defaultClient()): KmsOpener {
  return async (stanza) => {
    const region = stanza.arn.split(':')[3];
    if (!region) throw new KmsRefusedError(stanza.arn, 'not a KMS key ARN');
    let plaintext: Uint8Array | undefined;
    try {
      const answer = await clientFor(region).send(
        new DecryptCommand({ KeyId: stanza.arn, CiphertextBlob: Buffer.from(stanza.enc, 'base64'), EncryptionContext: stanza.context }),
      );
      plaintext = answer.Plaintext;
    } catch (error) {
      const code = (error as { name?: string }).name ?? 'Error';
      if (REFUSALS.has(code)) throw new KmsRefusedError(stanza.arn, code, { cause: error });
      throw new KeyServiceError(`KMS Decrypt with ${stanza.arn} failed: ${(error as Error).message}`, { cause: error });
    }
    if (!plaintext) throw new KmsRefusedError(stanza.arn, 'no plaintext in the answer');
    return plaintext;
  };
}

function defaultClient(): (region: string) => KMSClient {
  const clients = new Map<string, KMSClient>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = new KMSClient({ region });
      clients.set(region, client);
    }
    return client;
  };
}
