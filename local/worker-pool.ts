// Local mode's sync workers: N local/worker-process.ts children polling the one job queue at
// once, as Lambda runs up to maxConcurrency execution environments. Each child handles one
// invocation at a time, as an execution environment does; SQS FIFO hands no one a message of a
// group (app@cluster) whose earlier message is still in flight, so jobs of one target never
// overlap and keep their order while jobs of different targets run side by side.
//
// Processes rather than concurrent pollers in one process: the worker handler keeps module
// state that assumes one invocation at a time (Powertools' batch processor, the logger's keys),
// as it may in Lambda, and local mode is CPU-bound on one thread with the sandbox, dynalite and
// fauxqs, so children also put the second core to work. A child that fails (a crash, or an
// invocation past its timeout, which exits as Lambda resets the environment) is replaced.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./worker-process.ts', import.meta.url));

/**
 * Two on a 2-core machine, one per core: on a shared, loaded one bench:mttp took 100 apps in
 * 131 s with 1 worker, 71 s and 131 s with 2, 140 s with 4 or 8 (CPU-bound: more workers did
 * not help), and each worker process peaks near 300 MiB, so 2 keep local mode near 1 GiB where
 * 4 took 1.3 GiB and 8 2.3 GiB.
 */
export const DEFAULT_WORKERS = 2;
const MAX_WORKERS = 64;

/** `--workers`: a whole number from 1 to 64, or an error naming the option and what it got. */
export function parseWorkerCount(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WORKERS;
  const count = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_WORKERS)
    throw new RangeError(`--workers must be a whole number from 1 to ${MAX_WORKERS} (concurrent sync workers), got "${text}"`);
  return count;
}

export interface WorkerPoolOptions {
  count: number;
  /** The children's environment: local mode's (SYNC_QUEUE_URL, STATE_TABLE, AWS_ENDPOINT_URL_*, …). */
  env: NodeJS.ProcessEnv;
  /** worker-process.ts flags: --batch-size, --wait-seconds, --invocation-seconds. */
  args?: string[];
  /** Where the children's stdout and stderr go: this process's by default (status lines, events, logs). */
  stdio?: 'inherit' | 'pipe';
  /** A child exited with a failure, without being asked to stop; it is replaced. */
  onExit?: (pid: number, code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface LocalWorkerPool {
  /** The children running now. */
  readonly children: readonly ChildProcess[];
  /** SIGTERM to every child (each finishes the invocation in hand); resolves when all have exited. */
  stop(): Promise<void>;
}

export function startWorkerPool(options: WorkerPoolOptions): LocalWorkerPool {
  const children = new Set<ChildProcess>();
  let stopping = false;
  const start = () => {
    // The IPC channel is how a child learns that local mode is gone (it closes even on SIGKILL).
    const child = spawn(process.execPath, [...process.execArgv, WORKER, ...(options.args ?? [])], {
      env: options.env,
      stdio: options.stdio === 'pipe' ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    child.once('exit', (code, signal) => {
      children.delete(child);
      // Exit 0 is a worker that was told to stop (SIGTERM, or Ctrl-C reaching the whole process group).
      if (stopping || code === 0) return;
      options.onExit?.(child.pid ?? -1, code, signal);
      start();
    });
  };
  for (let i = 0; i < options.count; i++) start();
  return {
    get children() {
      return [...children];
    },
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
