// RenderCache in an S3 bucket, one gzip-compressed JSON object per render. A render is
// immutable once its key exists (same commit, same inputs), so put() asks first and never
// rewrites: concurrent workers for different clusters of one push write it at most once each.
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

export class S3RenderCache implements RenderCache {
  private readonly client: S3Client;
  private readonly bucket: string;

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
      if (isMissingObject(error)) return undefined;
      throw error;
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
    if (await this.exists(key)) return false;
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
