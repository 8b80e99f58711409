// Unpacked charts on this machine's disk, one folder per repository, chart and version: in the
// worker's /tmp (kept for the container's life) or in local mode's state folder (kept across
// restarts). A folder is complete or absent: it is built under a temporary name and renamed
// into place, so a crash or a concurrent process never leaves half a chart to be read. Concurrent
// fetches of one chart in this process share one build. Beyond `maxEntries`, the least recently
// used folders nobody in this process holds are deleted.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CachedChartMeta {
  repoKey: string;
  chart: string;
  version: string;
  digest?: string;
}

export interface CachedChart {
  /** The chart's own folder (Chart.yaml at its top). */
  dir: string;
  meta: CachedChartMeta;
  release(): void;
}

const META = 'meta.json';
const CHART = 'chart';
const TEMPORARY = '.tmp-';

export class ChartDiskCache {
  readonly #root: string;
  readonly #maxEntries: number;
  readonly #building = new Map<string, Promise<CachedChartMeta>>();
  readonly #held = new Map<string, number>();

  constructor(options: { root: string; maxEntries?: number }) {
    this.#root = options.root;
    this.#maxEntries = options.maxEntries ?? 64;
  }

  static key(repoKey: string, chart: string, version: string): string {
    return createHash('sha256').update(`${repoKey}\n${chart}\n${version}`).digest('hex').slice(0, 40);
  }

  /** The cached chart, or undefined when it is not on disk. */
  async lookup(key: string): Promise<CachedChart | undefined> {
    const pending = this.#building.get(key);
    if (pending) await pending.catch(() => undefined);
    const meta = await this.#readMeta(key);
    if (!meta) return undefined;
    // Recently used for eviction's sake; a failure to touch costs nothing but order.
    const now = new Date();
    await utimes(join(this.#folder(key), META), now, now).catch(() => undefined);
    return this.#hold(key, meta);
  }

  /** Builds the chart with `build` (which unpacks into the folder it is given and says what it holds) unless present. */
  async fill(key: string, build: (chartDir: string) => Promise<CachedChartMeta>): Promise<CachedChart> {
    const existing = await this.lookup(key);
    if (existing) return existing;
    let pending = this.#building.get(key);
    if (!pending) {
      pending = this.#build(key, build).finally(() => this.#building.delete(key));
      this.#building.set(key, pending);
    }
    const meta = await pending;
    const held = this.#hold(key, meta);
    await this.#evict();
    return held;
  }

  async #build(key: string, build: (chartDir: string) => Promise<CachedChartMeta>): Promise<CachedChartMeta> {
    await mkdir(this.#root, { recursive: true });
    const scratch = join(this.#root, `${TEMPORARY}${randomUUID()}`);
    await mkdir(join(scratch, CHART), { recursive: true });
    try {
      const meta = await build(join(scratch, CHART));
      await writeFile(join(scratch, META), JSON.stringify(meta));
      await rename(scratch, this.#folder(key)).catch(async (error: NodeJS.ErrnoException) => {
        // Another process put the same chart there first: keep its copy.
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
      return (await this.#readMeta(key)) ?? meta;
    } finally {
      await rm(scratch, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
    }
  }

  #hold(key: string, meta: CachedChartMeta): CachedChart {
    this.#held.set(key, (this.#held.get(key) ?? 0) + 1);
    let released = false;
    return {
      dir: join(this.#folder(key), CHART),
      meta,
      release: () => {
        if (released) return;
        released = true;
        const users = (this.#held.get(key) ?? 1) - 1;
        if (users <= 0) this.#held.delete(key);
        else this.#held.set(key, users);
      },
    };
  }

  async #readMeta(key: string): Promise<CachedChartMeta | undefined> {
    try {
      return JSON.parse(await readFile(join(this.#folder(key), META), 'utf8')) as CachedChartMeta;
    } catch {
      return undefined;
    }
  }

  async #evict(): Promise<void> {
    const names = (await readdir(this.#root).catch(() => [] as string[])).filter((name) => !name.startsWith(TEMPORARY));
    if (names.length <= this.#maxEntries) return;
    const aged = await Promise.all(
      names.map(async (name) => ({
        name,
        used: await stat(join(this.#root, name, META)).then(
          (info) => info.mtimeMs,
          () => 0,
        ),
      })),
    );
    const idle = aged.filter((entry) => !this.#held.has(entry.name)).sort((a, b) => a.used - b.used);
    const doomed = idle.slice(0, names.length - this.#maxEntries);
    await Promise.all(doomed.map((entry) => rm(join(this.#root, entry.name), { recursive: true, force: true })));
  }

  #folder(key: string): string {
    return join(this.#root, key);
  }
}
