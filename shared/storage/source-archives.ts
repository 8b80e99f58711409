// Archives of fetched commits shared by every worker: the first worker that needs a commit
// downloads it and stores the archive; the others read it from here instead of from GitHub.
// A commit never changes, so an archive is correct for as long as it is kept.

export interface SourceArchiveStore {
  /**
   * The archive stored under `key`, checked against the content hash stored with it; undefined
   * when none is. A stored object that fails the check throws CorruptSourceArchiveError; any
   * other throw is the store failing.
   */
  get(key: string): Promise<Buffer | undefined>;
  /** Stores `archive` under `key`; false (nothing written) when it is larger than the store keeps. */
  put(key: string, archive: Buffer): Promise<boolean>;
}

/**
 * 64 MiB: manifest repositories' tarballs are far smaller, and an archive is held in memory
 * while it is written or read (the worker has 2 GB). A larger commit is fetched from GitHub
 * by each worker, as without sharing.
 */
export const DEFAULT_SHARED_ARCHIVE_MAX_BYTES = 64 * 1024 * 1024;
