// RenderCache in an S3 bucket, one gzip-compressed JSON object per render. A render is
// immutable once its key exists (same commit, same inputs), so put() asks first and never
// rewrites: concurrent workers for different clusters of one push write it at most once each.
// A key get() has just found missing is written without asking again: two workers rendering
// one key at once could always both write it (HEAD and PUT are not one step), this widens
// that window by the render only, and it saves a HEAD of a missing object per first render,
// which costs fauxqs a new connection each time (one per app of a push).
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { RenderedObject } from '../render/types.ts';
import { CorruptRenderError } from './errors.ts';
import type { RenderCache } from './render-cache.ts';
import { renderKey, type RenderKeyInput } from './render-key.ts';
import { isMissingObject } from './s3-missing.ts';

export interface S3RenderCacheOptions {
  client: S3Client;
  bucket: string;
}

/** How long get()'s "not there" stands in for put()'s own question. */
const MISS_KEPT_MS = 30_000;
/** Misses remembered at most (a render that fails is never put). */
const MAX_MISSES = 1_000;

export class S3RenderCache implements RenderCache {
  private readonly client: S3Client;
  private readonly bucket: string;
  /** Keys get() found missing, with when. */
  private readonly missed = new Map<string, number>();

  constructor(options: S3RenderCacheOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
  }

  renderKey(input: RenderKeyInput): string {
    return renderKey(input);
  }

  async get(key: string): Promise<RenderedObject[] | undefined> {
    let bytes: Uint8Array;
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!Body) throw new CorruptRenderError(key, 'object has no body');
      bytes = await Body.transformToByteArray();
    } catch (error) {
      if (!isMissingObject(error)) throw error;
      this.rememberMiss(key);
      return undefined;
    }
    let objects: unknown;
    try {
      objects = JSON.parse(gunzipSync(bytes).toString('utf8'));
    } catch (error) {
      throw new CorruptRenderError(key, 'not gzip-compressed JSON', { cause: error });
    }
    if (!Array.isArray(objects)) throw new CorruptRenderError(key, 'not a list of rendered objects');
    return objects as RenderedObject[];
  }

  async put(key: string, objects: RenderedObject[]): Promise<boolean> {
    const missedAt = this.missed.get(key);
    this.missed.delete(key);
    if (!(missedAt !== undefined && Date.now() - missedAt < MISS_KEPT_MS) && (await this.exists(key))) return false;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: gzipSync(JSON.stringify(objects)),
        ContentType: 'application/gzip',
      }),
    );
    return true;
  }

  private rememberMiss(key: string): void {
    this.missed.delete(key);
    this.missed.set(key, Date.now());
    // The oldest first: a Map iterates in insertion order.
    if (this.missed.size > MAX_MISSES) this.missed.delete(this.missed.keys().next().value as string);
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw error;
    }
  }
}
