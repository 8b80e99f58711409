// A fetched commit shared through the bucket (SourceArchiveStore): a fetcher first tries to
// unpack the stored archive, and after downloading it itself stores what it downloaded. The
// stored copy is unpacked with the same checks as a download (the fetcher's own unpack: paths
// kept inside the folder, sizes, entry count), and the symlink check of the tree runs at render
// as for any fetched tree, so an object that is not what a worker stored cannot become a tree
// that escapes its folder. Any failure of the store is a warning and a fetch from the source
// instead, never a failed sync.

import { mkdir, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { CorruptSourceArchiveError } from '../storage/errors.ts';
import { DEFAULT_SHARED_ARCHIVE_MAX_BYTES, type SourceArchiveStore } from '../storage/source-archives.ts';

export type Warn = (message: string, fields: Record<string, unknown>) => void;

export interface SharedCopiesOptions {
  /** Where a store failure is told; structured JSON on stderr unless given. */
  warn?: Warn;
  /** Archives larger than this are not kept in memory to be stored; DEFAULT_SHARED_ARCHIVE_MAX_BYTES. */
  maxBytes?: number;
}

/** Collects a download's bytes as they stream by, up to the bound; beyond it, nothing is kept. */
export interface ArchiveCopy {
  tap(chunk: Buffer): void;
  /** The whole archive, or undefined when it outgrew the bound. */
  bytes(): Buffer | undefined;
}

export class SharedCopies {
  readonly #store: SourceArchiveStore;
  readonly #warn: Warn;
  readonly #maxBytes: number;

  constructor(store: SourceArchiveStore, options: SharedCopiesOptions = {}) {
    this.#store = store;
    this.#warn = options.warn ?? ((message, fields) => console.warn(JSON.stringify({ level: 'WARN', message, ...fields })));
    this.#maxBytes = options.maxBytes ?? DEFAULT_SHARED_ARCHIVE_MAX_BYTES;
  }

  /**
   * Unpacks the stored copy of `key` into the empty folder `dir` with `unpack`; whether it did.
   * On false `dir` is empty again, ready for the download.
   */
  async restore(key: string, what: string, dir: string, unpack: (archive: Readable) => Promise<void>): Promise<boolean> {
    let archive: Buffer | undefined;
    try {
      archive = await this.#store.get(key);
    } catch (error) {
      const message = error instanceof CorruptSourceArchiveError ? 'shared source copy refused' : 'shared source copy unreadable';
      this.#warn(`${message}; fetching from the repository instead`, { source: what, key, error: (error as Error).message });
      return false;
    }
    if (!archive) return false;
    try {
      await unpack(Readable.from([archive]));
      return true;
    } catch (error) {
      this.#warn('shared source copy refused on unpacking; fetching from the repository instead', { source: what, key, error: (error as Error).message });
      // What the refused archive left behind must not mix with the download.
      await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      await mkdir(dir);
      return false;
    }
  }

  /** A collector for a download that will be stored if it fits. */
  copy(): ArchiveCopy {
    const chunks: Buffer[] = [];
    let size = 0;
    let overflowed = false;
    const max = this.#maxBytes;
    return {
      tap(chunk) {
        if (overflowed) return;
        size += chunk.length;
        if (size > max) {
          overflowed = true;
          chunks.length = 0;
        } else chunks.push(chunk);
      },
      bytes: () => (overflowed ? undefined : Buffer.concat(chunks, size)),
    };
  }

  /** Stores a download that unpacked and passed its checks; a failure is only a warning. */
  async save(key: string, what: string, archive: Buffer | undefined): Promise<void> {
    if (!archive) return;
    try {
      await this.#store.put(key, archive);
    } catch (error) {
      this.#warn('shared source copy not stored; other workers will fetch it from the repository', { source: what, key, error: (error as Error).message });
    }
  }
}
