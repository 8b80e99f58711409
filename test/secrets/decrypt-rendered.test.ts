// What the sync and the drift scan do with a render after the cache: SOPS documents stay as
// sops wrote them through normalize (a namespace added there would break their MAC), and are
// decrypted, placed in the destination namespace and checked for duplicates after; a project
// that allows no decryption refuses them naming the file; plain Secrets follow the project's rule.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProjectSpec } from '../../shared/config/types.ts';
import { SECRET_FINGERPRINT_SOURCE } from '../../shared/kube/fingerprint.ts';
import { DuplicateObjectError } from '../../shared/render/errors.ts';
import { normalize } from '../../shared/render/normalize.ts';
import { decryptRendered } from '../../shared/secrets/decrypt-rendered.ts';
import { sopsKeyRingFromEnv } from '../../shared/secrets/environment.ts';
import { PlainSecretError, SopsKeyError } from '../../shared/secrets/errors.ts';
import type { SopsKeyRing } from '../../shared/secrets/keys/key-ring.ts';
import { ageEncrypt, ageKeygen, newDataKey, sopsDocument } from './support/sops-encoder.ts';

let dir: string;
let keys: SopsKeyRing;
let recipient: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sops-rendered-'));
  recipient = await ageKeygen(join(dir, 'keys.txt'));
  keys = sopsKeyRingFromEnv({ SOPS_AGE_KEY_FILE: join(dir, 'keys.txt'), HOME: dir });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const project = (extra: Partial<ProjectSpec> = {}): ProjectSpec => ({
  name: 'team',
  sourceRepos: ['*'],
  destinations: [{ cluster: '*', namespace: '*' }],
  definedIn: { file: 'driftless/team.yaml' },
  ...extra,
});

async function encrypted(name: string, value: string): Promise<Record<string, unknown>> {
  const dataKey = newDataKey();
  return sopsDocument(
    { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { value } },
    dataKey,
    { age: [{ recipient, enc: await ageEncrypt(dataKey, recipient) }] },
    { encrypted_regex: '^(data|stringData)$' },
  );
}

const at = (file: string) => ({ file, document: 1 });

it('decrypts after normalize, then places the Secret in the destination namespace', async () => {
  const rendered = normalize([{ value: await encrypted('db', 'pw-1'), source: at('apps/db.yaml') }], { destinationNamespace: 'shop' });
  expect(rendered[0].object.metadata.namespace).toBeUndefined();
  const opened = await decryptRendered(rendered, {
    keys,
    project: project({ decryption: { sops: { ageRecipients: [recipient] } } }),
    destinationNamespace: 'shop',
  });
  // Digested for the stored inventory by the file's encrypted MAC, never by its values.
  const mac = (rendered[0].object as unknown as { sops: { mac: string } }).sops.mac;
  expect(opened.objects[0].object).toEqual({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    stringData: { value: 'pw-1' },
    [SECRET_FINGERPRINT_SOURCE]: mac,
  });
  expect(opened).toMatchObject({ decrypted: 1, warnings: [] });
  // The render (what the cache keeps) is untouched.
  expect(rendered[0].object).toHaveProperty('sops');
});

it('refuses a SOPS document in a project that allows no decryption, naming the file', async () => {
  const rendered = normalize([{ value: await encrypted('db', 'pw-1'), source: at('apps/db.yaml') }], { destinationNamespace: 'shop' });
  await expect(decryptRendered(rendered, { keys, project: project(), destinationNamespace: 'shop' })).rejects.toThrow(
    new SopsKeyError(
      'apps/db.yaml (document 1)',
      "project team allows no SOPS decryption (list its keys in spec.decryption.sops, or an AppProject's driftless.io/sops-* annotations)",
    ),
  );
});

it('refuses a decrypted Secret that duplicates another object', async () => {
  const plain = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque' };
  const rendered = normalize(
    [
      { value: plain, source: at('apps/plain.yaml') },
      { value: await encrypted('db', 'pw-1'), source: at('apps/db.yaml') },
    ],
    { destinationNamespace: 'shop' },
  );
  await expect(
    decryptRendered(rendered, { keys, project: project({ decryption: { sops: { ageRecipients: [recipient] } } }), destinationNamespace: 'shop' }),
  ).rejects.toThrow(DuplicateObjectError);
});

it('warns about plain Secrets by default, refuses them under plainSecrets: deny, and ignores empty ones', async () => {
  const rendered = normalize(
    [
      { value: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token' }, data: { token: 'dG9r' } }, source: at('apps/token.yaml') },
      { value: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'filled-by-a-controller' }, type: 'Opaque' }, source: at('apps/empty.yaml') },
      { value: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' }, data: { a: 'b' } }, source: at('apps/config.yaml') },
    ],
    { destinationNamespace: 'shop' },
  );
  const warned = await decryptRendered(rendered, { keys, project: project(), destinationNamespace: 'shop' });
  expect(warned.warnings).toEqual([
    'plain Secrets in Git (encrypt them with SOPS; project team may deny them with plainSecrets: deny): Secret/shop/token (apps/token.yaml (document 1))',
  ]);
  await expect(decryptRendered(rendered, { keys, project: project({ plainSecrets: 'deny' }), destinationNamespace: 'shop' })).rejects.toThrow(PlainSecretError);
  // Without a project (a folder synced from the CLI) there is no rule to report by.
  expect((await decryptRendered(rendered, { keys, destinationNamespace: 'shop' })).warnings).toEqual([]);
});
