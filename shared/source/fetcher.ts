// What the sync needs from a source: the files of one commit in a folder.

export interface FetchRequest {
  repoURL: string;
  /** Branch, tag or sha. */
  revision: string;
}

export interface FetchedSource {
  /** Folder holding the tree at `sha`. Shared with other users of the same commit: read only. */
  root: string;
  /** Full 40-hex commit sha the revision resolved to. */
  sha: string;
  /** Releases this use; the folder may stay cached for the next fetch of the same commit. */
  dispose(): Promise<void>;
}

export interface SourceFetcher {
  fetch(request: FetchRequest): Promise<FetchedSource>;
  /**
   * Whether commit `ancestor` is commit `descendant` or in its history (full shas): how the
   * worker tells a replayed or out-of-order push from a new one. Undefined when the repository
   * knows either commit not. One request at most; answers are kept, since history never
   * changes what a commit's ancestors are.
   */
  isAncestor?(repoURL: string, ancestor: string, descendant: string): Promise<boolean | undefined>;
}

export const FULL_SHA = /^[0-9a-f]{40}$/i;

/** 500 MB: far above any manifest repository, well under Lambda's 10 GB /tmp ceiling. */
export const DEFAULT_MAX_BYTES = 500 * 1024 * 1024;

/**
 * 100,000 entries (files, folders, links): the archive is the whole repository, not only the
 * app's folder, so the bound leaves room for a monorepo with code beside its manifests, while
 * unpacking that many empty files still takes seconds, not the worker's disk and inodes.
 */
export const DEFAULT_MAX_ENTRIES = 100_000;
