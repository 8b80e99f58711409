// Runs the package's bin in a child process, as a user's shell does: its own working
// directory and environment, and the exit code the process ends with.
import { execFile } from 'node:child_process';

const bin = new URL('../../cli/bin.js', import.meta.url).pathname;

export interface BinResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runBin(args: string[], options: { cwd?: string } = {}): Promise<BinResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
