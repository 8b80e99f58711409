// SourceArchiveStore in the render bucket, under sources/ (the bucket's encryption, its
// lifecycle expiry and the worker-only grant cover it). The sha256 of the bytes is stored as
// object metadata and checked on every read, so a truncated or altered object is refused
// before anything unpacks it.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { CorruptSourceArchiveError } from './errors.ts';
import { isMissingObject } from './s3-missing.ts';
import { DEFAULT_SHARED_ARCHIVE_MAX_BYTES, type SourceArchiveStore } from './source-archives.ts';

export interface S3SourceArchivesOptions {
  client: S3Client;
  bucket: string;
  /** Largest archive written or read; DEFAULT_SHARED_ARCHIVE_MAX_BYTES unless given. */
  maxBytes?: number;
}

export class S3SourceArchives implements SourceArchiveStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #maxBytes: number;

  constructor(options: S3SourceArchivesOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#maxBytes = options.maxBytes ?? DEFAULT_SHARED_ARCHIVE_MAX_BYTES;
  }

  async get(key: string): Promise<Buffer | undefined> {
    let answer;
    try {
      answer = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
    const body = answer.Body;
    if (!body) throw new CorruptSourceArchiveError(key, 'object has no body');
    if ((answer.ContentLength ?? 0) > this.#maxBytes) {
      // Not read into memory at all: no archive this store wrote is that large.
      await body.transformToWebStream().cancel();
      throw new CorruptSourceArchiveError(key, `larger than the limit of ${this.#maxBytes} bytes`);
    }
    const bytes = Buffer.from(await body.transformToByteArray());
    if (bytes.length > this.#maxBytes) throw new CorruptSourceArchiveError(key, `larger than the limit of ${this.#maxBytes} bytes`);
    const expected = answer.Metadata?.sha256;
    if (!expected) throw new CorruptSourceArchiveError(key, 'no content hash stored with it');
    if (sha256(bytes) !== expected) throw new CorruptSourceArchiveError(key, 'content does not match the hash stored with it');
    return bytes;
  }

  async put(key: string, archive: Buffer): Promise<boolean> {
    if (archive.length > this.#maxBytes) return false;
    // No HeadObject first: put() follows a get() that missed, and a second writer racing this
    // one stores the same commit's archive (S3 replaces an object whole, never mixes two).
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: archive,
        ContentType: 'application/gzip',
        Metadata: { sha256: sha256(archive) },
      }),
    );
    return true;
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
