// A stable digest of a desired object. The inventory keeps it per object so a sync can tell
// "Git changed this object" (apply, even if only a field was removed) from "Git did not
// change it" (apply only if the live object drifted).
//
// The inventory is stored (DynamoDB), so a digest must not let anyone recover a secret: for a
// Secret decrypted from SOPS, the digest covers the object without its values plus the SOPS
// file's encrypted MAC (which changes whenever a value does), never the plaintext values.
import { createHash } from 'node:crypto';

/** Set on a decrypted object (it survives object spread): what stands for its secret values in the digest. */
export const SECRET_FINGERPRINT_SOURCE: unique symbol = Symbol('driftless.secretFingerprintSource');

type Sourced = { [SECRET_FINGERPRINT_SOURCE]?: string };

export function fingerprint(value: unknown): string {
  const source = value && typeof value === 'object' ? (value as Sourced)[SECRET_FINGERPRINT_SOURCE] : undefined;
  if (source !== undefined) {
    const { data: _data, stringData: _stringData, ...rest } = value as Record<string, unknown>;
    return digest(`${canonicalJson(rest)}\u0000${source}`);
  }
  return digest(canonicalJson(value));
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
