// The SOPS format, checked against files the real sops tool made (test/fixtures/sops, with
// sops's public functional-test PGP key): every value decrypts to what sops's own plaintext
// says, in its type; `_unencrypted` keys stay as written; the MAC is verified, and a file
// without one, or whose values were changed outside sops, is refused naming the file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { SopsFormatError, SopsKeyError } from '../../shared/secrets/errors.ts';
import { pgpOpener } from '../../shared/secrets/keys/pgp.ts';
import type { SopsKeyRing } from '../../shared/secrets/keys/key-ring.ts';
import { decryptValue } from '../../shared/secrets/sops/cipher.ts';
import { decryptSopsDocument } from '../../shared/secrets/sops/decrypt.ts';
import { isSopsDocument } from '../../shared/secrets/sops/metadata.ts';
import { goDecimal } from '../../shared/secrets/sops/tree.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sops');
const TEST_KEY_FP = 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4';

let keys: SopsKeyRing;
beforeAll(async () => {
  const armored = await readFile(join(FIXTURES, 'sops_functional_tests_key.asc'), 'utf8');
  keys = { pgp: pgpOpener(async () => [armored]) };
});

async function fixture(name: string): Promise<Record<string, unknown> & { sops: Record<string, unknown> }> {
  const text = await readFile(join(FIXTURES, name), 'utf8');
  const value: unknown = name.endsWith('.json') ? JSON.parse(text) : parse(text, { version: '1.1' });
  if (!isSopsDocument(value)) throw new Error(`${name} is not a SOPS document`);
  return value;
}

describe('decrypting files made by sops', () => {
  it('example.yaml: strings, a float, booleans, lists, nesting and _unencrypted keys', async () => {
    const plain = await decryptSopsDocument(await fixture('example.yaml'), 'example.yaml', keys);
    // The values of sops's example.yaml (its README shows them), in their YAML types.
    expect(plain).toEqual({
      myapp1: 't00m4nys3cr3tzupdated',
      app2: {
        db: { user: 'eve', password: 'c4r1b0u' },
        key: expect.stringMatching(
          /^-----BEGIN RSA PRIVATE KEY-----\nMIIBPAIBAAJBAPTMNIyHuZtpLYc7VsHQtwOkWYobkUblmHWRmbXzlAX6K8tMf3Wf\n[\s\S]+-----END RSA PRIVATE KEY-----\n$/,
        ),
      },
      // A float in sops's file (type:float), its plaintext the digits 1234568000.
      number: 1234568000,
      an_array: ['secretuser1', 'secretuser2', 'somelongvalueAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'some other value'],
      somebooleans: [true, false],
      this: { is: { a: { nested: { value: 'with something secret in it' } } } },
      somelist_unencrypted: ['all elements of this list', 'remain in clear text', 'because of the _unencrypted suffix in the key'],
      nested_unencrypted: { this: { is: { all: 'going to remain in clear text' } } },
    });
    expect(plain).not.toHaveProperty('sops');
  });

  it('example.json: the same format in JSON, an empty value left as it is', async () => {
    const plain = await decryptSopsDocument(await fixture('example.json'), 'example.json', keys);
    expect(plain).toMatchObject({
      firstName: 'John',
      lastName: 'Smith',
      age: 25.4,
      address: { city: 'New York', postalCode: '10021-3100', state: 'NY', streetAddress: '21 2nd Street' },
      phoneNumbers: [
        { number: '212 555-1234', type: 'home' },
        { number: '646 555-4567', type: 'office' },
      ],
      anEmptyValue: '',
    });
  });

  it('comments.enc.yaml decrypts to comments.yaml, and its encrypted comments to the plaintext comments', async () => {
    const encrypted = await fixture('comments.enc.yaml');
    const plain = await decryptSopsDocument(encrypted, 'comments.enc.yaml', keys);
    const expected = parse(await readFile(join(FIXTURES, 'comments.yaml'), 'utf8'));
    expect(plain).toEqual(expected);
    // Comments are not values (the YAML reader drops them, the MAC leaves them out); they are in sops's
    // format all the same, a top-level one with the empty path (`:`) as additional data.
    const dataKey = await keys.pgp!({ fp: TEST_KEY_FP, enc: (encrypted.sops.pgp as Array<{ enc: string }>)[0].enc });
    const comments = (await readFile(join(FIXTURES, 'comments.enc.yaml'), 'utf8')).split('\n').filter((line) => line.startsWith('#ENC['));
    expect(comments.map((line) => decryptValue(line.slice(1), dataKey!, ':').text)).toEqual([' first comment in file', ' this-is-a-comment']);
  });

  it('format.enc.yaml and format.enc.json (sops 3.13) decrypt', async () => {
    expect(await decryptSopsDocument(await fixture('format.enc.yaml'), 'format.enc.yaml', keys)).toEqual({ foo: 'bar' });
    expect(await decryptSopsDocument(await fixture('format.enc.json'), 'format.enc.json', keys)).toEqual({ foo: 'bar' });
  });

  it('multiple_keys.yaml opens with the one of its two PGP keys that is held here', async () => {
    expect(await decryptSopsDocument(await fixture('multiple_keys.yaml'), 'multiple_keys.yaml', keys)).toEqual({ message: 'hello' });
  });
});

describe('refusals, each naming the file', () => {
  it('a file without a MAC', async () => {
    const attempt = decryptSopsDocument(await fixture('no_mac.yaml'), 'apps/no_mac.yaml', keys);
    await expect(attempt).rejects.toThrow(SopsFormatError);
    await expect(attempt).rejects.toThrow(/^apps\/no_mac\.yaml: SOPS: the file has no MAC/);
  });

  it('a value swapped for another encrypted value of the same file (moved between keys)', async () => {
    const document = await fixture('example.yaml');
    const db = (document.app2 as { db: Record<string, string> }).db;
    [db.user, db.password] = [db.password, db.user];
    await expect(decryptSopsDocument(document, 'example.yaml', keys)).rejects.toThrow(/^example\.yaml: SOPS: app2\.db\.user: the value does not authenticate/);
  });

  it('an _unencrypted value edited by hand: the MAC no longer matches', async () => {
    const document = await fixture('example.yaml');
    (document.nested_unencrypted as { this: { is: { all: string } } }).this.is.all = 'changed';
    await expect(decryptSopsDocument(document, 'example.yaml', keys)).rejects.toThrow(/example\.yaml: SOPS: the MAC does not match the values/);
  });

  it('a plain value added where the rules say encrypted', async () => {
    const document = await fixture('format.enc.yaml');
    document.extra = 'plain';
    await expect(decryptSopsDocument(document, 'format.enc.yaml', keys)).rejects.toThrow(/format\.enc\.yaml: SOPS: extra: is not encrypted/);
  });

  it('a key the project does not allow, and a key nobody here holds', async () => {
    const document = await fixture('format.enc.yaml');
    await expect(
      decryptSopsDocument(document, 'format.enc.yaml', keys, {
        allowed: { pgpFingerprints: ['D7229043384BCC60326C6FB9D8720D957C3D3074'] },
        by: 'project team-a',
      }),
    ).rejects.toThrow(
      new SopsKeyError('format.enc.yaml', `none of its keys (pgp ${TEST_KEY_FP}) is one project team-a allows for decryption (decryption.sops)`),
    );
    await expect(decryptSopsDocument(document, 'format.enc.yaml', {}, { allowed: { pgpFingerprints: [TEST_KEY_FP.toLowerCase()] } })).rejects.toThrow(
      /no key held here opens its data key \(pgp FBC7B9E2.*: no such key here\)/,
    );
  });
});

it("numbers enter the MAC in Go's decimal form, never with an exponent", () => {
  expect([goDecimal(1e21), goDecimal(1.5e-7), goDecimal(-2.5e22), goDecimal(1234.5), goDecimal(42)]).toEqual([
    '1000000000000000000000',
    '0.00000015',
    '-25000000000000000000000',
    '1234.5',
    '42',
  ]);
});
