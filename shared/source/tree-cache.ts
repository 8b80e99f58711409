// Extracted trees kept per commit for the life of the process: a Lambda container handles
// many jobs for the same commit (one per app and cluster), and a tree never changes for a
// given sha. Concurrent fetches of one commit share one download. Trees nobody holds are
// deleted once more than `maxIdle` of them pile up, oldest first, so /tmp stays bounded.

import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FetchedSource } from './fetcher.ts';
import { forgetReadOnlyTree, markReadOnlyTree } from './read-only-trees.ts';

export interface TreeCacheOptions {
  /** Trees kept when no fetch holds them. */
  maxIdle?: number;
  /** Parent of the temporary folders; os.tmpdir() (Lambda: /tmp) by default. */
  tmpDir?: string;
}

interface Entry {
  sha: string;
  root: Promise<string>;
  users: number;
  lastReleased: number;
}

export class TreeCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxIdle: number;
  readonly #tmpDir: string | undefined;
  #clock = 0;

  constructor(options: TreeCacheOptions = {}) {
    this.#maxIdle = options.maxIdle ?? 4;
    this.#tmpDir = options.tmpDir;
  }

  /** The tree for `key`, built into a fresh folder by `build` unless already cached. */
  async acquire(key: string, sha: string, build: (dir: string) => Promise<void>): Promise<FetchedSource> {
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = { sha, root: this.#build(build), users: 0, lastReleased: 0 };
      this.#entries.set(key, entry);
    }
    entry.users++;
    let root: string;
    try {
      root = await entry.root;
    } catch (error) {
      entry.users--;
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
      throw error;
    }
    let released = false;
    const held = entry;
    return {
      root,
      sha: entry.sha,
      dispose: async () => {
        if (released) return;
        released = true;
        held.users--;
        held.lastReleased = ++this.#clock;
        await this.#evict();
      },
    };
  }

  /** Whether a tree for `key` is cached or being built (a fetch of it needs nothing resolved first). */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** Keys currently cached, for tests and diagnostics. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  /** Deletes every tree nobody holds. */
  async clear(): Promise<void> {
    await this.#evict(0);
  }

  async #build(build: (dir: string) => Promise<void>): Promise<string> {
    const dir = await mkdtemp(join(this.#tmpDir ?? tmpdir(), 'driftless-src-'));
    try {
      await build(dir);
      // Read only from here on (FetchedSource.root): what is checked of it once holds.
      markReadOnlyTree(await realpath(dir));
      return dir;
    } catch (error) {
      // An aborted unpack may still be finishing writes it had begun: retry until it settles.
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      throw error;
    }
  }

  async #evict(keep = this.#maxIdle): Promise<void> {
    const idle = [...this.#entries].filter(([, entry]) => entry.users === 0).sort(([, a], [, b]) => a.lastReleased - b.lastReleased);
    const doomed = idle.slice(0, Math.max(0, idle.length - keep));
    for (const [key] of doomed) this.#entries.delete(key);
    await Promise.all(
      doomed.map(async ([, entry]) => {
        const root = await entry.root;
        forgetReadOnlyTree(await realpath(root).catch(() => root));
        await rm(root, { recursive: true, force: true });
      }),
    );
  }
}
