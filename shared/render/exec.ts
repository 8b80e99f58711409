// Runs helm or kubectl hermetically: bounded output and time, and an environment that
// cannot reach the network or the user's home. Helm state and kubeconfig point into a
// private scratch folder, proxies point at a closed port and git may use no transport at all
// (shared/tools/child-env.ts), so a chart or kustomization that tries to download anything
// fails fast instead of fetching it. Loopback addresses bypass proxies in Go's HTTP client,
// so kustomize's references are also checked before it runs (kustomize-references.ts).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolPath, type Tool } from '../tools/binaries.ts';
import { toolEnv } from '../tools/child-env.ts';
import { ToolUnavailableError } from './errors.ts';
import { MAX_MANIFEST_BYTES } from './limits.ts';

export const TOOL_TIMEOUT_MS = 120_000;
/** Output is the render's manifests, bounded like any other manifests. */
export const TOOL_MAX_OUTPUT_BYTES = MAX_MANIFEST_BYTES;

const CLOSED_PROXY = 'http://127.0.0.1:9';

/** `outputTooLarge`: the tool printed more than TOOL_MAX_OUTPUT_BYTES and was stopped. */
export type ToolOutcome = { ok: true; stdout: string } | { ok: false; message: string; outputTooLarge?: true };

export async function runTool(tool: Tool, args: string[], options: { cwd: string; scratch: string }): Promise<ToolOutcome> {
  const binary = await toolPath(tool);
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      {
        cwd: options.cwd,
        env: hermeticEnv(options.scratch),
        timeout: TOOL_TIMEOUT_MS,
        maxBuffer: TOOL_MAX_OUTPUT_BYTES,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') {
          return reject(new ToolUnavailableError(`cannot start ${tool} at ${binary}`, { cause: error }));
        }
        if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return resolve({ ok: false, message: `output exceeds ${TOOL_MAX_OUTPUT_BYTES / 1024 / 1024} MiB`, outputTooLarge: true });
        }
        if (error.killed) {
          return resolve({ ok: false, message: `did not finish within ${TOOL_TIMEOUT_MS / 1000} s` });
        }
        resolve({ ok: false, message: stderr.trim() || error.message });
      },
    );
  });
}

/** Creates a scratch folder for one render and removes it afterwards, whatever happens. */
export async function withScratch<T>(work: (scratch: string) => Promise<T>): Promise<T> {
  const scratch = await mkdtemp(join(tmpdir(), 'driftless-render-'));
  try {
    return await work(scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function hermeticEnv(scratch: string): NodeJS.ProcessEnv {
  return {
    ...toolEnv(scratch),
    HTTP_PROXY: CLOSED_PROXY,
    HTTPS_PROXY: CLOSED_PROXY,
    http_proxy: CLOSED_PROXY,
    https_proxy: CLOSED_PROXY,
    NO_PROXY: '',
    no_proxy: '',
  };
}
