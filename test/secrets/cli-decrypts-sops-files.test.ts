// `driftless sync -f PATH` and `driftless diff -f PATH` decrypt a folder's SOPS files with the
// keys the user holds, as sops finds them (SOPS_AGE_KEY_FILE here), so a folder of encrypted
// Secrets syncs from a laptop as from the pipeline; diff masks the decrypted values as it masks
// every Secret's. Without the key, the sync is bad input naming the file (exit 2), nothing applied.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { startCluster, writeApp, type TestCluster } from '../support/cluster.ts';
import { ageEncrypt, ageKeygen, newDataKey, sopsDocument } from './support/sops-encoder.ts';

const PASSWORD = 'laptop-p4ss-19c2';

let cluster: TestCluster;
let kubeconfig: string;
let dir: string;
let app: string;
const saved = { SOPS_AGE_KEY_FILE: process.env.SOPS_AGE_KEY_FILE, GNUPGHOME: process.env.GNUPGHOME };

beforeAll(async () => {
  cluster = await startCluster();
  dir = await mkdtemp(join(tmpdir(), 'sops-cli-'));
  kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, cluster.sandbox.kubeconfig());
  const recipient = await ageKeygen(join(dir, 'keys.txt'));
  const dataKey = newDataKey();
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { password: PASSWORD } };
  app = await writeApp({
    'secret.yaml': stringify(
      sopsDocument(secret, dataKey, { age: [{ recipient, enc: await ageEncrypt(dataKey, recipient) }] }, { encrypted_regex: '^(data|stringData)$' }),
    ),
  });
});
afterAll(async () => {
  Object.assign(process.env, saved);
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('refuses the folder naming the file when no key held opens it', async () => {
  Object.assign(process.env, { SOPS_AGE_KEY_FILE: join(dir, 'missing-keys.txt'), GNUPGHOME: dir });
  const result = await runCli(['sync', '-f', app, '--name', 'laptop', '--namespace', 'default', '--kubeconfig', kubeconfig]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('secret.yaml (document 1, line 1): SOPS: no key held here opens its data key');
  expect(result.stderr + result.stdout).not.toContain(PASSWORD);
});

it('syncs the decrypted Secret with the key in SOPS_AGE_KEY_FILE, and diff shows no value', async () => {
  // A new process's keys: the CLI reads them on each run.
  Object.assign(process.env, { SOPS_AGE_KEY_FILE: join(dir, 'keys.txt'), GNUPGHOME: dir });
  const synced = await runCli(['sync', '-f', app, '--name', 'laptop', '--namespace', 'default', '--kubeconfig', kubeconfig]);
  expect(synced.code).toBe(0);
  const live = await cluster.client.get<{ data: Record<string, string> }>('/api/v1/namespaces/default/secrets/creds');
  expect(Buffer.from(live.data.password, 'base64').toString()).toBe(PASSWORD);
  expect(synced.stdout + synced.stderr).not.toContain(PASSWORD);

  const diff = await runCli(['diff', '-f', app, '--name', 'laptop', '--namespace', 'default', '--kubeconfig', kubeconfig]);
  expect(diff.stdout + diff.stderr).not.toContain(PASSWORD);
  expect(diff.stdout + diff.stderr).not.toContain(Buffer.from(PASSWORD).toString('base64'));
});
