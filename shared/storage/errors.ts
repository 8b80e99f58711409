// Errors of the render cache.

export class StorageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/** Renders are cached per commit; a branch or tag moves, so it cannot name a cache entry. */
export class InvalidRenderKeyError extends StorageError {
  constructor(revision: string) {
    super(`render cache: revision "${revision}" is not a commit sha; resolve the ref to a sha before rendering`);
    this.name = 'InvalidRenderKeyError';
  }
}

/** A cached object that is not what put() writes: gzip-compressed JSON of an array. */
export class CorruptRenderError extends StorageError {
  constructor(key: string, what: string, options?: ErrorOptions) {
    super(`render cache: ${key}: ${what}`, options);
    this.name = 'CorruptRenderError';
  }
}

/** A shared source archive that fails its check on read (size, content hash): never unpacked. */
export class CorruptSourceArchiveError extends StorageError {
  constructor(key: string, what: string, options?: ErrorOptions) {
    super(`shared source archive ${key}: ${what}`, options);
    this.name = 'CorruptSourceArchiveError';
  }
}
