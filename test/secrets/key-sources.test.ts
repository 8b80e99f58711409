// The data key of a SOPS document, opened by each kind of master key the project allows:
// age with an identity the real age-keygen made and a data key the real age binary encrypted
// (read from SOPS_AGE_KEY_FILE or SOPS_AGE_KEY, as sops reads them), and AWS KMS through a
// double speaking KMS's protocol to the real AWS SDK client. Files are built by the test
// encoder, which sops-encoder.test.ts checks against sops's own files first.
import { KMSClient } from '@aws-sdk/client-kms';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { KeyServiceError, SopsKeyError } from '../../shared/secrets/errors.ts';
import { sopsKeyRingFromEnv } from '../../shared/secrets/environment.ts';
import { kmsOpener } from '../../shared/secrets/keys/kms.ts';
import { decryptSopsDocument } from '../../shared/secrets/sops/decrypt.ts';
import { ageEncrypt, ageKeygen, newDataKey, sopsDocument } from './support/sops-encoder.ts';
import { startKmsDouble, type KmsDouble } from './support/kms-double.ts';

const SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'correct horse battery staple' } };
const RULE = { encrypted_regex: '^(data|stringData)$' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sops-keys-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('age', () => {
  let keyFile: string;
  let recipient: string;
  let other: string;
  let document: Record<string, unknown> & { sops: Record<string, unknown> };
  beforeAll(async () => {
    keyFile = join(dir, 'keys.txt');
    recipient = await ageKeygen(keyFile);
    other = await ageKeygen(join(dir, 'other.txt'));
    const dataKey = newDataKey();
    document = sopsDocument(SECRET, dataKey, { age: [{ recipient, enc: await ageEncrypt(dataKey, recipient) }] }, RULE) as typeof document;
  });

  it('opens with the identity in SOPS_AGE_KEY_FILE, the metadata left plain by encrypted_regex', async () => {
    expect((document.stringData as { password: string }).password).toMatch(/^ENC\[AES256_GCM,/);
    expect(document.metadata).toEqual({ name: 'db' });
    const keys = sopsKeyRingFromEnv({ SOPS_AGE_KEY_FILE: keyFile, HOME: dir });
    expect(await decryptSopsDocument(document, 'secret.yaml', keys, { allowed: { ageRecipients: [recipient] } })).toEqual(SECRET);
  });

  it('opens with the identity given in SOPS_AGE_KEY', async () => {
    const keys = sopsKeyRingFromEnv({ SOPS_AGE_KEY: await readFile(keyFile, 'utf8'), HOME: dir });
    expect(await decryptSopsDocument(document, 'secret.yaml', keys)).toEqual(SECRET);
  });

  it('is refused when the project allows another recipient, or nobody here holds the identity', async () => {
    const keys = sopsKeyRingFromEnv({ SOPS_AGE_KEY_FILE: keyFile, HOME: dir });
    const refused = decryptSopsDocument(document, 'apps/db/secret.yaml', keys, { allowed: { ageRecipients: [other] }, by: 'project team-a' });
    await expect(refused).rejects.toThrow(
      new SopsKeyError('apps/db/secret.yaml', `none of its keys (age ${recipient}) is one project team-a allows for decryption (decryption.sops)`),
    );
    const nobody = decryptSopsDocument(document, 'apps/db/secret.yaml', sopsKeyRingFromEnv({ SOPS_AGE_KEY_FILE: join(dir, 'other.txt'), HOME: dir }));
    await expect(nobody).rejects.toThrow(`apps/db/secret.yaml: SOPS: no key held here opens its data key (age ${recipient}: no such key here)`);
    expect(isBadInput(await nobody.catch((error: unknown) => error))).toBe(true);
  });
});

describe('AWS KMS', () => {
  const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const OTHER = 'arn:aws:kms:eu-west-1:111122223333:key/0000abcd-12ab-34cd-56ef-1234567890ab';
  let kms: KmsDouble;
  const client = () =>
    new KMSClient({ region: 'eu-west-1', endpoint: kms.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  beforeAll(async () => {
    kms = await startKmsDouble();
  });
  afterAll(() => kms?.stop());

  it('Decrypt opens the data key, pinned to the ARN the file names, with its encryption context', async () => {
    const dataKey = newDataKey();
    const context = { app: 'web' };
    const document = sopsDocument(SECRET, dataKey, { kms: [{ arn: ARN, enc: kms.wrap(ARN, dataKey, context), context }] }, RULE) as Record<string, unknown> & {
      sops: Record<string, unknown>;
    };
    const plain = await decryptSopsDocument(document, 'secret.yaml', { kms: kmsOpener(client) }, { allowed: { kmsKeys: [ARN] } });
    expect(plain).toEqual(SECRET);
    expect(kms.requests.at(-1)).toMatchObject({ target: 'TrentService.Decrypt', body: { KeyId: ARN, EncryptionContext: context } });
  });

  it('never calls KMS for a key ARN the project does not list', async () => {
    const dataKey = newDataKey();
    const document = sopsDocument(SECRET, dataKey, { kms: [{ arn: OTHER, enc: kms.wrap(OTHER, dataKey) }] }, RULE) as Record<string, unknown> & {
      sops: Record<string, unknown>;
    };
    const before = kms.requests.length;
    await expect(decryptSopsDocument(document, 'secret.yaml', { kms: kmsOpener(client) }, { allowed: { kmsKeys: [ARN] } })).rejects.toThrow(SopsKeyError);
    expect(kms.requests.length).toBe(before);
  });

  it('a key KMS refuses is bad input naming the file; KMS unreachable is retried', async () => {
    const dataKey = newDataKey();
    kms.deny(OTHER);
    const document = sopsDocument(SECRET, dataKey, { kms: [{ arn: OTHER, enc: kms.wrap(OTHER, dataKey) }] }, RULE) as Record<string, unknown> & {
      sops: Record<string, unknown>;
    };
    const refused = await decryptSopsDocument(document, 'apps/db/secret.yaml', { kms: kmsOpener(client) }).catch((error: unknown) => error as Error);
    expect(refused).toBeInstanceOf(SopsKeyError);
    expect(refused.message).toBe(
      `apps/db/secret.yaml: SOPS: no key held here opens its data key (kms ${OTHER}: KMS refused to decrypt the data key with ${OTHER} (AccessDeniedException))`,
    );

    const unreachable = () =>
      new KMSClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const failed = await decryptSopsDocument(document, 'apps/db/secret.yaml', { kms: kmsOpener(unreachable) }).catch((error: unknown) => error as Error);
    expect(failed).toBeInstanceOf(KeyServiceError);
    expect(isBadInput(failed)).toBe(false);
  });
});
