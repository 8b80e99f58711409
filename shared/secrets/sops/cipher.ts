// One SOPS value: `ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<t>]`, as sops's
// documentation and aes/cipher.go describe it: AES-256-GCM under the file's data key, a 32-byte
// IV, a 16-byte tag, and the value's path in the tree (keys joined by `:`, ending with `:`) as
// additional data, so a value moved to another key does not decrypt. `type` restores what the
// value was: str, int, float, bool, bytes, comment. The empty string is never encrypted.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export type SopsValueType = 'str' | 'int' | 'float' | 'bool' | 'bytes' | 'comment';

const ENCRYPTED = /^ENC\[AES256_GCM,data:([A-Za-z0-9+/=]*),iv:([A-Za-z0-9+/=]+),tag:([A-Za-z0-9+/=]+),type:(str|int|float|bool|bytes|comment)\]$/;

export function isEncryptedValue(value: unknown): value is string {
  return typeof value === 'string' && ENCRYPTED.test(value);
}

export interface DecryptedValue {
  /** The plaintext as sops encrypted it (the text of the value). */
  text: string;
  type: SopsValueType;
}

/** Throws an Error without the plaintext when the value is malformed or does not authenticate. */
export function decryptValue(value: string, dataKey: Uint8Array, additionalData: string): DecryptedValue {
  const match = ENCRYPTED.exec(value);
  if (!match) throw new Error("the value is not in sops's ENC[AES256_GCM,…] format");
  const [, data, iv, tag, type] = match;
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(iv, 'base64'), { authTagLength: 16 });
  decipher.setAAD(Buffer.from(additionalData, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]);
  } catch (cause) {
    throw new Error('the value does not authenticate under the data key (a wrong key, or a value moved or edited)', { cause });
  }
  return { text: plain.toString('utf8'), type: type as SopsValueType };
}

/** The value sops's `type` stands for. */
export function restoreType(decrypted: DecryptedValue): unknown {
  const { text, type } = decrypted;
  switch (type) {
    case 'int': {
      if (!/^[-+]?\d+$/.test(text)) throw new Error('an int value does not hold an integer');
      return Number(text);
    }
    case 'float': {
      const number = Number(text);
      if (text.trim() === '' || Number.isNaN(number)) throw new Error('a float value does not hold a number');
      return number;
    }
    case 'bool': {
      // Go's strconv.ParseBool, which sops decrypts booleans with.
      if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
      if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
      throw new Error('a bool value does not hold a boolean');
    }
    default:
      return text;
  }
}

/**
 * Encrypts one value as sops does. Used for the MAC a test file carries and by tests that
 * build SOPS files, after the round trip over sops's own files has been checked.
 */
export function encryptValue(text: string, type: SopsValueType, dataKey: Uint8Array, additionalData: string): string {
  const iv = randomBytes(32);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(additionalData, 'utf8'));
  const data = Buffer.concat([cipher.update(Buffer.from(text, 'utf8')), cipher.final()]);
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${cipher.getAuthTag().toString('base64')},type:${type}]`;
}
