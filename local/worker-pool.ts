// Local mode's sync workers: `--workers N` is N jobs at once, as Lambda runs up to
// maxConcurrency execution environments. They are laid out as a few local/worker-process.ts
// children, one per core at most, each running several receive loops at once (`--pollers`),
// each loop one invocation in flight as an execution environment has; SQS FIFO hands no one a
// message of a group (app@cluster) whose earlier message is still in flight, so jobs of one
// target never overlap and keep their order while jobs of different targets run side by side.
//
// A sync job is mostly waiting (health polls), so one job at a time per process left the CPU
// idle; and each process costs ~250–300 MiB, so more processes than cores only cost memory:
// local mode is CPU-bound on the parent's thread (sandbox, dynalite, fauxqs) and the children's.
// Several loops in one process rather than batches: a loop takes its next job as soon as its
// own is done, where a batch waits for its slowest job (`--batch-size` still passes through, and
// the handler runs a batch's groups at once). A child that fails (a crash, or an invocation past
// its timeout, which exits as Lambda resets the environment) is replaced.
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

/**
 * Jobs at once by default. bench:mttp on this 2-core machine (busy with other work, load 8–13,
 * so slower than idle and ±20% run to run): 300 apps in 98 s with 2 processes × 1 job (the
 * old default), 45 s with 2 × batches of 5, 35 s with 2 × 5 loops, 31–37 s with 1 × 10 and
 * 30 s with 1 × 20, 54 s with 1 × 5; one process spent a quarter less worker CPU than two
 * (13 s against 17.5 s) and 0.6 GiB against 0.85. 1,000 apps: 110 s with 1 × 10, 69 s with
 * 1 × 20 (peak RSS 0.79 GiB), 93 s with 1 × 30, 67 s with 2 × 10 but 1.07 GiB.
 */
export const DEFAULT_WORKERS = 20;
const MAX_WORKERS = 64;

/** `--workers`: a whole number from 1 to 64, or an error naming the option and what it got. */
export function parseWorkerCount(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WORKERS;
  const count = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS)
    throw new RangeError(`--workers must be a whole number from 1 to ${MAX_WORKERS} (concurrent sync workers), got "${text}"`);
  return count;
}

/** Processes at most, whatever the cores: each is a Node.js heap of its own. */
const MAX_PROCESSES = 4;

/**
 * `jobs` at once as worker processes and the receive loops of each: one process per core but
 * the one the parent's thread keeps busy (the sandbox, dynalite, fauxqs, the webhook: about a
 * third of local mode's CPU), at least one, at most MAX_PROCESSES and never more than jobs; the
 * loops spread evenly, so 10 on 2 cores is one process of 10, on 3 cores 5 + 5, and 5 on 3
 * cores 3 + 2. `processes` overrides the count (to compare layouts).
 */
export function workerLayout(jobs: number, options: { processes?: number; cores?: number } = {}): number[] {
  const cores = options.cores ?? availableParallelism();
  const processes = Math.max(1, Math.min(jobs, options.processes ?? Math.min(cores - 1, MAX_PROCESSES)));
  return Array.from({ length: processes }, (_, index) => Math.floor(jobs / processes) + (index < jobs % processes ? 1 : 0));
}

/** `2 processes × 5 jobs`, `1 process × 10 jobs`, `3 + 2 jobs in 2 processes`. */
export function describeLayout(layout: readonly number[]): string {
  const processes = `${layout.length} process${layout.length === 1 ? '' : 'es'}`;
  const even = layout.every((pollers) => pollers === layout[0]);
  return even ? `${processes} × ${layout[0]} job${layout[0] === 1 ? '' : 's'}` : `${layout.join(' + ')} jobs in ${processes}`;
}

export interface WorkerPoolOptions {
  /** Jobs at once (receive loops over all the children; a --batch-size above 1 multiplies them). */
  count: number;
  /** Child processes to spread them over; by default one per core (workerLayout). */
  processes?: number;
  /** The children's environment: local mode's (SYNC_QUEUE_URL, STATE_TABLE, AWS_ENDPOINT_URL_*, …). */
  env: NodeJS.ProcessEnv;
  /** worker-process.ts flags: --batch-size, --wait-seconds, --invocation-seconds (--pollers comes from the layout). */
  args?: string[];
  /** Where the children's stdout and stderr go: this process's by default (status lines, events, logs). */
  stdio?: 'inherit' | 'pipe';
  /** A child exited with a failure, without being asked to stop; it is replaced. */
  onExit?: (pid: number, code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface LocalWorkerPool {
  /** The children running now. */
  readonly children: readonly ChildProcess[];
  /** Receive loops per child process (workerLayout). */
  readonly layout: readonly number[];
  /** SIGTERM to every child (each finishes the invocation in hand); resolves when all have exited. */
  stop(): Promise<void>;
}

export function startWorkerPool(options: WorkerPoolOptions): LocalWorkerPool {
  const children = new Set<ChildProcess>();
  let stopping = false;
  const layout = workerLayout(options.count, { processes: options.processes });
  const start = (pollers: number) => {
    // The IPC channel is how a child learns that local mode is gone (it closes even on SIGKILL).
    const child = spawn(process.execPath, [...process.execArgv, WORKER, ...(options.args ?? []), '--pollers', String(pollers)], {
      env: options.env,
      stdio: options.stdio === 'pipe' ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    child.once('exit', (code, signal) => {
      children.delete(child);
      // Exit 0 is a worker that was told to stop (SIGTERM, or Ctrl-C reaching the whole process group).
      if (stopping || code === 0) return;
      options.onExit?.(child.pid ?? -1, code, signal);
      start(pollers);
    });
  };
  for (const pollers of layout) start(pollers);
  return {
    get children() {
      return [...children];
    },
    layout,
    async stop() {
      stopping = true;
      const exited = [...children].map(
        (child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve))),
      );
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(exited);
    },
  };
}
