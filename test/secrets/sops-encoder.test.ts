// The test encoder (support/sops-encoder.ts) is checked against sops's own files before any
// test trusts a file it builds: with each file's data key it reproduces the MAC sops computed,
// and the tree it writes decrypts back to the same values.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expect, it } from 'vitest';
import { pgpOpener } from '../../shared/secrets/keys/pgp.ts';
import { decryptValue } from '../../shared/secrets/sops/cipher.ts';
import { decryptSopsDocument } from '../../shared/secrets/sops/decrypt.ts';
import { encodeTree } from './support/sops-encoder.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sops');

it.each(['example.yaml', 'example.json', 'comments.enc.yaml', 'format.enc.yaml', 'multiple_keys.yaml'])(
  'reproduces the MAC of %s and round-trips its values',
  async (name) => {
    const armored = await readFile(join(FIXTURES, 'sops_functional_tests_key.asc'), 'utf8');
    const open = pgpOpener(async () => [armored]);
    const text = await readFile(join(FIXTURES, name), 'utf8');
    const file = (name.endsWith('.json') ? JSON.parse(text) : parse(text, { version: '1.1' })) as Record<string, unknown> & {
      sops: { pgp: Array<{ fp: string; enc: string }>; mac: string; lastmodified: string };
    };
    const stanza = file.sops.pgp.find((entry) => entry.fp === 'FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4')!;
    const dataKey = (await open(stanza))!;
    const plain = await decryptSopsDocument(file, name, { pgp: open });

    const encoded = encodeTree(plain, dataKey);
    // The MAC sops stored, decrypted with the file's data key: what the encoder must compute.
    expect(encoded.mac).toBe(decryptValue(file.sops.mac, dataKey, file.sops.lastmodified).text);
    const rebuilt = { ...encoded.tree, sops: file.sops };
    expect(await decryptSopsDocument(rebuilt, name, { pgp: open })).toEqual(plain);
  },
);
