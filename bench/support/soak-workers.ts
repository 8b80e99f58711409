// The soak's workers: local/worker-process.ts in child processes, all polling the one job
// queue. Their stdout is local mode's GitHub-status sink (ConsoleStatusPoster: one
// `status <state> driftless/<app>@<cluster> <repo>@<sha>: <description>` line per status), read
// here line by line; a worker can be SIGKILLed while it is mid-sync, and every worker that
// exits is replaced, as Lambda starts a new execution environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('../../local/worker-process.ts', import.meta.url));
const STATUS_LINE = /^status (pending|success|failure|error) driftless\/(\S+)@(\S+) \S+@([0-9a-f]{7,40}): (.*)$/;

export interface PostedStatus {
  /** Order of arrival across all workers. */
  seq: number;
  state: 'pending' | 'success' | 'failure' | 'error';
  app: string;
  cluster: string;
  /** As the sink prints it: the first 12 characters of the sha. */
  shaPrefix: string;
  description: string;
  pid: number;
}

export interface WorkerExit {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Killed by the soak, not on its own. */
  killed: boolean;
}

export interface Kill {
  pid: number;
  /** The sync the worker had announced (pending "Syncing …") and not finished. */
  app: string;
  shaPrefix: string;
  afterMs: number;
}

export interface WorkerPoolOptions {
  count: number;
  env: NodeJS.ProcessEnv;
  args: string[];
  /** Called with every status line, after it is recorded. */
  onStatus?: (status: PostedStatus, worker: WorkerHandle) => void;
  /** Worker stderr lines (poller errors, timeouts); stdout's other lines (events, logs) are dropped. */
  onLog?: (line: string, pid: number) => void;
}

export interface WorkerHandle {
  pid: number;
  /** Syncs it announced and has not finished, by app: the sha prefix. */
  inFlight: Map<string, string>;
  alive: boolean;
}

export class WorkerPool {
  readonly statuses: PostedStatus[] = [];
  readonly exits: WorkerExit[] = [];
  readonly kills: Kill[] = [];
  readonly #options: WorkerPoolOptions;
  readonly #workers = new Map<number, { child: ChildProcess; handle: WorkerHandle; killed: boolean }>();
  #stopping = false;
  #seq = 0;

  constructor(options: WorkerPoolOptions) {
    this.#options = options;
    for (let i = 0; i < options.count; i++) this.#spawn();
  }

  get alive(): WorkerHandle[] {
    return [...this.#workers.values()].map((worker) => worker.handle).filter((handle) => handle.alive);
  }

  /** SIGKILL `handle` if it still has `app` in flight; the pool starts a replacement. */
  kill(handle: WorkerHandle, app: string, afterMs: number): boolean {
    const worker = this.#workers.get(handle.pid);
    const sha = handle.inFlight.get(app);
    if (!worker || !handle.alive || sha === undefined) return false;
    worker.killed = true;
    worker.child.kill('SIGKILL');
    this.kills.push({ pid: handle.pid, app, shaPrefix: sha, afterMs });
    return true;
  }

  /** SIGTERM to every worker; resolves when all have exited. */
  async stop(): Promise<void> {
    this.#stopping = true;
    const exited = [...this.#workers.values()]
      .filter((worker) => worker.handle.alive)
      .map((worker) => new Promise((resolve) => worker.child.once('exit', resolve)));
    for (const worker of this.#workers.values()) if (worker.handle.alive) worker.child.kill('SIGTERM');
    await Promise.all(exited);
  }

  #spawn(): void {
    const child = spawn(process.execPath, [WORKER, ...this.#options.args], { env: this.#options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid ?? -1;
    const handle: WorkerHandle = { pid, inFlight: new Map(), alive: true };
    const entry = { child, handle, killed: false };
    this.#workers.set(pid, entry);
    createInterface({ input: child.stdout! }).on('line', (line) => this.#onLine(line, handle));
    createInterface({ input: child.stderr! }).on('line', (line) => this.#options.onLog?.(line, pid));
    child.once('exit', (code, signal) => {
      handle.alive = false;
      this.exits.push({ pid, code, signal, killed: entry.killed });
      this.#workers.delete(pid);
      if (!this.#stopping) this.#spawn();
    });
  }

  #onLine(line: string, handle: WorkerHandle): void {
    const match = STATUS_LINE.exec(line);
    if (!match) return;
    const [, state, app, cluster, shaPrefix, description] = match;
    const status: PostedStatus = { seq: ++this.#seq, state: state as PostedStatus['state'], app, cluster, shaPrefix, description, pid: handle.pid };
    this.statuses.push(status);
    // "Syncing …" opens a sync; any other status of the target (a result, a retry's pending) ends it.
    if (state === 'pending' && description.startsWith('Syncing ')) handle.inFlight.set(app, shaPrefix);
    else handle.inFlight.delete(app);
    this.#options.onStatus?.(status, handle);
  }
}
