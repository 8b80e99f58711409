// Chart archives shared by every worker: pulled once per repository, chart and version, then
// read from here. In AWS the render bucket under `charts/`; a chart version is immutable once
// published, so an archive is written once and never rewritten. The digest verified when it
// was pulled is stored beside it and checked again when it is read back.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { isMissingObject } from '../../storage/s3-missing.ts';

export interface StoredArchive {
  bytes: Buffer;
  /** The exact version the archive holds. */
  version: string;
  /** sha256 of `bytes`, hex. */
  sha256: string;
  /** OCI manifest digest or index digest recorded when it was pulled. */
  digest?: string;
}

export interface ChartArchiveStore {
  get(key: string): Promise<StoredArchive | undefined>;
  /** Writes only when nothing is stored under `key`. */
  put(key: string, archive: StoredArchive): Promise<void>;
}

export const CHART_PREFIX = 'charts/';

/** `charts/<sha256 of the repository>/<chart>/<version>.tgz`: the version is as listed, escaped. */
export function archiveKey(repoKey: string, chart: string, version: string): string {
  const repo = createHash('sha256').update(repoKey).digest('hex').slice(0, 32);
  return `${CHART_PREFIX}${repo}/${chart}/${encodeURIComponent(version)}.tgz`;
}

export class S3ChartArchiveStore implements ChartArchiveStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: { client: S3Client; bucket: string }) {
    this.#client = options.client;
    this.#bucket = options.bucket;
  }

  async get(key: string): Promise<StoredArchive | undefined> {
    try {
      const answer = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      if (!answer.Body) return undefined;
      const bytes = Buffer.from(await answer.Body.transformToByteArray());
      const metadata = answer.Metadata ?? {};
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      // A truncated or altered object is treated as absent: the chart is pulled again.
      if (!metadata.version || metadata.sha256 !== sha256) return undefined;
      return { bytes, version: decodeURIComponent(metadata.version), sha256, digest: metadata.digest || undefined };
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, archive: StoredArchive): Promise<void> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return;
    } catch (error) {
      if (!isMissingObject(error)) throw error;
    }
    const metadata: Record<string, string> = { version: encodeURIComponent(archive.version), sha256: archive.sha256 };
    if (archive.digest) metadata.digest = archive.digest;
    await this.#client.send(new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: archive.bytes, ContentType: 'application/gzip', Metadata: metadata }));
  }
}
