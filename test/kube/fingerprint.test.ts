// The inventory is stored, so an object's digest must never be a digest of secret values: a
// Secret decrypted from SOPS is digested by its encrypted MAC instead, and still changes when
// Git changes it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint, SECRET_FINGERPRINT_SOURCE } from '../../shared/kube/fingerprint.ts';

const secret = (password: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { password } });
const decrypted = (password: string, mac: string) => ({ ...secret(password), [SECRET_FINGERPRINT_SOURCE]: mac });

describe('fingerprint', () => {
  it('is the same for the same object whatever its key order, and differs when a value differs', () => {
    expect(fingerprint({ b: 1, a: { d: 2, c: 3 } })).toBe(fingerprint({ a: { c: 3, d: 2 }, b: 1 }));
    expect(fingerprint(secret('hunter2'))).not.toBe(fingerprint(secret('hunter3')));
  });

  it('does not depend on the plaintext values of a decrypted Secret, only on its MAC', () => {
    // Two different passwords under the same MAC give the same digest: nothing of the value is in it.
    expect(fingerprint(decrypted('hunter2', 'ENC[AES256_GCM,data:mac-1]'))).toBe(fingerprint(decrypted('other', 'ENC[AES256_GCM,data:mac-1]')));
    // A new value in Git comes with a new MAC, so the sync still sees the change.
    expect(fingerprint(decrypted('hunter2', 'ENC[AES256_GCM,data:mac-1]'))).not.toBe(fingerprint(decrypted('hunter2', 'ENC[AES256_GCM,data:mac-2]')));
    // And it is not the digest a guess of the plaintext object would give.
    const guess = createHash('sha256')
      .update(JSON.stringify(secret('hunter2')))
      .digest('base64url')
      .slice(0, 22);
    expect(fingerprint(decrypted('hunter2', 'ENC[AES256_GCM,data:mac-1]'))).not.toBe(guess);
    expect(fingerprint(decrypted('hunter2', 'ENC[AES256_GCM,data:mac-1]'))).not.toBe(fingerprint(secret('hunter2')));
  });

  it('survives the object copies the sync makes (tracking annotation, cluster scope)', () => {
    const object = decrypted('hunter2', 'ENC[AES256_GCM,data:mac-1]');
    const copy = { ...object, metadata: { ...object.metadata } };
    expect(fingerprint(copy)).toBe(fingerprint(object));
  });
});
