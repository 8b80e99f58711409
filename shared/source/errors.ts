// Errors of fetching a commit's files. They name the repository and revision; tokens never
// appear (GitHub failures are already GitHubApiError without the token).
import type { BadInputMark } from '../errors/bad-input.ts';

export class SourceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SourceError';
  }
}

/** The branch, tag or sha does not exist in the repository (user input). */
export class RevisionNotFoundError extends SourceError implements BadInputMark {
  readonly badInput = true;
  readonly repoURL: string;
  readonly revision: string;
  constructor(repoURL: string, revision: string, hint = '', options?: ErrorOptions) {
    super(`revision "${revision}" not found in ${repoURL}${hint}`, options);
    this.name = 'RevisionNotFoundError';
    this.repoURL = repoURL;
    this.revision = revision;
  }
}

/** The repository does not exist or the credentials cannot read it. */
export class RepositoryNotFoundError extends SourceError {
  readonly repoURL: string;
  constructor(repoURL: string, reason: string, options?: ErrorOptions) {
    super(`repository ${repoURL}: ${reason}`, options);
    this.name = 'RepositoryNotFoundError';
    this.repoURL = repoURL;
  }
}

/** The archive is bigger than the configured bound. */
export class SourceTooLargeError extends SourceError {
  readonly maxBytes: number;
  constructor(what: string, maxBytes: number) {
    super(`${what} is larger than the limit of ${maxBytes} bytes`);
    this.name = 'SourceTooLargeError';
    this.maxBytes = maxBytes;
  }
}

/** The archive holds an entry that would land outside its folder, or is not an archive. */
export class UnsafeArchiveError extends SourceError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnsafeArchiveError';
  }
}

/** Downloading or extracting failed for another reason (network, disk). */
export class SourceFetchError extends SourceError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SourceFetchError';
  }
}

/** The archive holds more entries (files, folders, links) than the configured bound. */
export class TooManyEntriesError extends SourceError implements BadInputMark {
  readonly badInput = true;
  readonly maxEntries: number;
  constructor(what: string, maxEntries: number) {
    super(`${what} holds more than ${maxEntries} entries (files, folders and links); keep the repository below that, or split it`);
    this.name = 'TooManyEntriesError';
    this.maxEntries = maxEntries;
  }
}

/** A repoURL names a folder on this machine where only remote repositories may be read. */
export class LocalRepoNotAllowedError extends SourceError implements BadInputMark {
  readonly badInput = true;
  readonly repoURL: string;
  constructor(repoURL: string, options?: ErrorOptions) {
    super(`repoURL "${repoURL}" is a path on the worker's disk; only local mode reads local repositories, use the repository's https URL`, options);
    this.name = 'LocalRepoNotAllowedError';
    this.repoURL = repoURL;
  }
}
