// One `helm template` of a goTemplate chart (go-template-chart.ts), run the way the render
// step runs tools (shared/render/exec.ts): the binary from the layer, an environment built from
// nothing (shared/tools/child-env.ts: no credential, no home, no kubeconfig of the worker), the
// chart's private folder as working directory, bounded time and output. Templates are the set
// author's input, so more bounds apply: 30 s, an address-space limit set by the shell that
// execs helm (a single huge allocation fails with "out of memory"), and a watch on helm's
// resident memory, so a `{{ repeat 1000000000 "x" }}` cannot take the worker's memory. DNS needs `--enable-dns`, which is never passed, and
// getHostByName is refused before helm runs anyway (go-template-source.ts).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { toolPath } from '../tools/binaries.ts';
import { toolEnv } from '../tools/child-env.ts';
import { ToolUnavailableError } from '../render/errors.ts';

export const GO_TEMPLATE_TIMEOUT_MS = 30_000;
/** Output of one run: every result base64-encoded, each at most MAX_RESULT_BYTES before encoding. */
export const GO_TEMPLATE_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/**
 * Virtual memory of the helm process, in KiB (`ulimit -v`): Go's runtime reserves far more
 * than it uses (10,000 parameter sets need about 1 GiB of address space for 160 MiB resident),
 * so this only stops single huge allocations; resident memory is watched instead.
 */
const ADDRESS_SPACE_KIB = 4 * 1024 * 1024;
/**
 * Resident memory helm may use: 10,000 parameter sets take about 160 MiB. Read every
 * RSS_CHECK_MS and the process killed past it, so a `{{ len (repeat 2000000000 "x") }}` —
 * small output, 2 GB of memory — cannot take a Lambda's memory (ulimit -d would be the kernel's
 * way, but Go's heap mappings escape it).
 */
const MAX_RSS_BYTES = 1024 * 1024 * 1024;
const RSS_CHECK_MS = 25;
const PAGE_BYTES = 4096;

/**
 * Go's collector off until the heap nears 512 MiB: a batch of 10,000 parameter sets peaks at
 * about 160 MiB and exits, so collecting along the way only costs (measured: a third of helm's
 * CPU time). The soft limit, half of MAX_RSS_BYTES, keeps a larger batch collecting instead of
 * growing into the memory watch.
 */
const GO_RUNTIME = { GOGC: 'off', GOMEMLIMIT: '512MiB' };

export type HelmOutcome = { ok: true; stdout: string } | { ok: false; message: string; whole?: true };

export async function runHelmTemplate(chartDir: string, scratch: string, releaseName: string): Promise<HelmOutcome> {
  const helm = await toolPath('helm');
  // `sh -c 'ulimit -v N; exec "$0" "$@"' helm …`: the limit applies to helm alone, and exec
  // keeps one process, so the timeout's signal reaches helm itself.
  const args = ['-c', `ulimit -v ${ADDRESS_SPACE_KIB} && exec "$0" "$@"`, helm, 'template', releaseName, chartDir];
  return new Promise((resolve, reject) => {
    let overMemory = false;
    const child = execFile(
      '/bin/sh',
      args,
      {
        cwd: chartDir,
        env: { ...toolEnv(scratch), ...GO_RUNTIME },
        timeout: GO_TEMPLATE_TIMEOUT_MS,
        maxBuffer: GO_TEMPLATE_MAX_OUTPUT_BYTES,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        clearInterval(watch);
        if (!error) return resolve({ ok: true, stdout });
        if (overMemory) return resolve({ ok: false, whole: true, message: `templates used more than ${MAX_RSS_BYTES / 1024 / 1024} MiB of memory` });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') return reject(new ToolUnavailableError(`cannot start helm at ${helm} through /bin/sh`, { cause: error }));
        if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return resolve({ ok: false, whole: true, message: `the results exceed ${GO_TEMPLATE_MAX_OUTPUT_BYTES / 1024 / 1024} MiB together` });
        }
        if (error.killed) return resolve({ ok: false, whole: true, message: `templates did not finish within ${GO_TEMPLATE_TIMEOUT_MS / 1000} s` });
        if (/^fatal error: out of memory/m.test(stderr)) return resolve({ ok: false, whole: true, message: 'templates ran out of memory' });
        resolve({ ok: false, message: stderr.trim() || error.message });
      },
    );
    const watch = setInterval(() => {
      void residentBytes(child.pid).then((bytes) => {
        if (bytes === undefined || bytes <= MAX_RSS_BYTES || overMemory) return;
        overMemory = true;
        child.kill('SIGKILL');
      });
    }, RSS_CHECK_MS);
  });
}

/** The resident memory of a process (Linux /proc), or undefined when it cannot be read (gone, or not Linux). */
async function residentBytes(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const pages = Number((await readFile(`/proc/${pid}/statm`, 'utf8')).split(' ')[1]);
    return Number.isFinite(pages) ? pages * PAGE_BYTES : undefined;
  } catch {
    return undefined;
  }
}
