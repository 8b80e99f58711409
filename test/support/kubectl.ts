// Runs the real kubectl binary (from the Lambda layer) against a kubeconfig.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlPath } from '../../shared/tools/binaries.ts';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type Kubectl = (args: string[], input?: string) => Promise<KubectlResult>;

/** A kubectl bound to one kubeconfig, with its own cache dir so discovery is fresh per file. */
export async function kubectlFor(kubeconfig: string): Promise<Kubectl> {
  const binary = await kubectlPath();
  const home = await mkdtemp(join(tmpdir(), 'kubectl-home-'));
  const file = join(home, 'kubeconfig');
  await writeFile(file, kubeconfig);
  return (args, input) =>
    new Promise((resolve) => {
      const child = execFile(
        binary,
        ['--kubeconfig', file, '--cache-dir', join(home, 'cache'), ...args],
        { env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
}
