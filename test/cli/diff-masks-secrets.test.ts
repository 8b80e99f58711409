// `driftless diff` never shows a Secret's values, nor anything that leads back to them: each
// value is a marker keyed per run, so a changed value shows as changed, an unchanged one as
// unchanged, and a marker cannot be looked up (a plain sha256 of a short password can).
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { replaceApp, startCluster, writeApp, type TestCluster } from '../support/cluster.ts';
import { runBin } from './run-bin.ts';

let cluster: TestCluster;
let kubeconfig: string;
beforeAll(async () => {
  cluster = await startCluster();
  kubeconfig = join(tmpdir(), `cli-diff-mask-${process.pid}.kubeconfig`);
  await writeFile(kubeconfig, cluster.sandbox.kubeconfig());
});
afterAll(() => cluster?.stop());

const secret = (password: string) => ({
  'secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: { name: creds }\nstringData: { user: admin, password: ${password} }\n`,
});
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

it('masks Secret values with markers that match within a run, differ across runs, and are no hash of the value', async () => {
  const app = await writeApp(secret('hunter2'));
  const synced = await runCli(['sync', '-f', app, '--name', 'shop', '--namespace', 'default', '--kubeconfig', kubeconfig]);
  expect(synced.code).toBe(0);
  await replaceApp(app, secret('letmein'));
  const diff = () => runBin(['diff', '-f', app, '--name', 'shop', '--namespace', 'default', '--kubeconfig', kubeconfig]);
  const [first, second] = [await diff(), await diff()];
  for (const run of [first, second]) {
    expect(run.code, run.stderr).toBe(1);
    // The changed value is a removed and an added line; the unchanged one is context.
    expect(run.stdout).toMatch(/^-\s+password: \+{8} \([0-9a-f]{8}\)$/m);
    expect(run.stdout).toMatch(/^\+\s+password: \+{8} \([0-9a-f]{8}\)$/m);
    expect(run.stdout).toMatch(/^ \s+user: \+{8} \([0-9a-f]{8}\)$/m);
    for (const value of ['hunter2', 'letmein', 'admin']) {
      const encoded = Buffer.from(value).toString('base64');
      expect(run.stdout).not.toContain(value);
      expect(run.stdout).not.toContain(encoded);
      // Neither the plain value's nor its base64 form's sha256, in full or as the old 8-digit prefix.
      for (const digest of [sha256(value), sha256(encoded)]) expect(run.stdout).not.toContain(digest.slice(0, 8));
    }
  }
  const markers = (stdout: string) => [...stdout.matchAll(/^[-+ ]\s+(\w+): \+{8} \(([0-9a-f]{8})\)$/gm)].map(([, key, marker]) => `${key}=${marker}`);
  const [before, after] = [markers(first.stdout), markers(second.stdout)];
  expect(before).toHaveLength(after.length);
  // Same run: old and new password differ, so their markers do.
  const passwords = before.filter((entry) => entry.startsWith('password='));
  expect(new Set(passwords).size).toBe(2);
  // Another run: no marker repeats, so a marker from one output cannot be matched in another.
  expect(before.filter((entry) => after.includes(entry))).toEqual([]);
});
