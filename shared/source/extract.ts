// Streams a (gzipped or plain) tar archive into a folder without holding it in memory,
// stopping as soon as either the archive or its unpacked content passes `maxBytes` (a
// small gzip can unpack to gigabytes), or it holds more than `maxEntries` entries (empty
// files weigh nothing in bytes but each costs an inode and a write). tar already refuses entries whose path or link
// escapes the folder; `strict` turns those refusals from skipped-with-a-warning into a
// failed fetch, because a repository archive never legitimately contains one.

import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { x as untar } from 'tar';
import { SourceFetchError, SourceTooLargeError, TooManyEntriesError, UnsafeArchiveError } from './errors.ts';
import { DEFAULT_MAX_ENTRIES } from './fetcher.ts';

export interface ExtractOptions {
  /** Leading path parts to drop: 1 for GitHub's `<owner>-<repo>-<sha>/` folder. */
  strip?: number;
  maxBytes: number;
  /** Files, folders and links; DEFAULT_MAX_ENTRIES unless given. */
  maxEntries?: number;
  /** For messages: `owner/repo@sha`. */
  what: string;
  /** Sees every chunk of the archive as it passes (to keep a copy of what was unpacked). */
  tap?: (chunk: Buffer) => void;
}

/** At most this much of the archive is unpacked between two turns of the event loop. */
const SLICE_BYTES = 64 * 1024;

export async function extractTar(archive: Readable, dir: string, options: ExtractOptions): Promise<void> {
  let archiveBytes = 0;
  let contentBytes = 0;
  let entries = 0;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  let tooLarge: SourceTooLargeError | TooManyEntriesError | undefined;
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      archiveBytes += chunk.length;
      if (archiveBytes > options.maxBytes) {
        done(new SourceTooLargeError(`archive of ${options.what}`, options.maxBytes));
        return;
      }
      options.tap?.(chunk);
      // The unpacker writes each slice before returning: a turn of the event loop after each
      // keeps timers and sockets served (a stored copy arrives as one buffer of the whole
      // archive, and an in-memory stream would otherwise feed it without ever yielding).
      let at = 0;
      const next = () => {
        const slice = chunk.subarray(at, at + SLICE_BYTES);
        at += slice.length;
        this.push(slice);
        setImmediate(at >= chunk.length ? done : next);
      };
      next();
    },
  });
  const unpack = untar({
    cwd: dir,
    strip: options.strip ?? 0,
    strict: true,
    // Synchronous file writes: the asynchronous unpacker spends more CPU handing each of its
    // mkdir, lstat, open, write and close calls to the thread pool and back than the calls take.
    sync: true,
    // Ownership and modes from an archive mean nothing here; files stay ours and readable.
    preserveOwner: false,
    noChmod: true,
    // Nothing reads a fetched file's mtime (caches key on the commit): no futimes per file,
    // 5,000 syscalls and thread-pool round trips fewer for a config repository of 1,000 apps.
    noMtime: true,
    onReadEntry(entry) {
      contentBytes += entry.size ?? 0;
      entries += 1;
      if (tooLarge) return;
      // The whole compressed archive may already be past the guard: stop the parser itself.
      if (contentBytes > options.maxBytes) tooLarge = new SourceTooLargeError(`unpacked content of ${options.what}`, options.maxBytes);
      else if (entries > maxEntries) tooLarge = new TooManyEntriesError(`archive of ${options.what}`, maxEntries);
      if (tooLarge) unpack.abort(tooLarge);
    },
  });
  try {
    await pipeline(archive, guard, unpack);
  } catch (error) {
    throw tooLarge ?? classify(error, options.what);
  }
}

function classify(error: unknown, what: string): Error {
  if (error instanceof SourceTooLargeError || error instanceof TooManyEntriesError) return error;
  const tarCode = (error as { tarCode?: unknown }).tarCode;
  if (typeof tarCode === 'string') {
    if (tarCode === 'TAR_BAD_ARCHIVE' || tarCode === 'TAR_ABORT')
      return new UnsafeArchiveError(`archive of ${what} is not a valid tar archive: ${(error as Error).message}`, { cause: error });
    return new UnsafeArchiveError(`archive of ${what} has an unsafe entry: ${(error as Error).message}`, { cause: error });
  }
  return new SourceFetchError(`cannot unpack ${what}: ${(error as Error).message}`, { cause: error });
}
