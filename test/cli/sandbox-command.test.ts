// `driftless sandbox` as a user starts it: the package's bin, a kubeconfig written, real
// kubectl answered, and a clean stop on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { kubectlFor } from '../support/kubectl.ts';

const bin = new URL('../../cli/bin.js', import.meta.url).pathname;

it('starts from the bin, writes a kubeconfig kubectl can use, and stops on SIGTERM', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-cli-'));
  const kubeconfig = join(dir, 'sandbox.kubeconfig');
  const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0', '--kubeconfig', kubeconfig, '--latency', '1']);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/kubeconfig written to/.test(output)) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    setTimeout(() => reject(new Error(`no start within 20 s: ${output}`)), 20_000);
  });
  expect(output).toMatch(/^sandbox listening on https:\/\/127\.0\.0\.1:\d+$/m);
  const kubectl = await kubectlFor(await readFile(kubeconfig, 'utf8'));
  const namespaces = await kubectl(['get', 'namespaces', '-o', 'name']);
  expect(namespaces.stdout.split('\n')).toContain('namespace/default');
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
});

it('explains itself and refuses bad flags with exit code 2', async () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args]);
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => resolve({ code, out }));
    });
  const help = await run(['--help']);
  expect(help.code).toBe(0);
  expect(help.out).toMatch(/sandbox\s+start the Kubernetes sandbox/);
  const bad = await run(['sandbox', '--port', 'eighty']);
  expect(bad.code).toBe(2);
  expect(bad.out).toMatch(/--port must be a whole number/);
  const unknown = await run(['frobnicate']);
  expect(unknown.code).toBe(2);
  expect(unknown.out).toMatch(/unknown command "frobnicate"/);
});
