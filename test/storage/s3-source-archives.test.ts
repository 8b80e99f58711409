// The bucket's copies of fetched commits: what is put comes back, checked against the sha256
// stored with it; anything else stored under a key is refused, and the size bound holds both
// ways. Against fauxqs's S3, as local mode runs it.
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { CorruptSourceArchiveError, StorageError } from '../../shared/storage/errors.ts';
import { S3SourceArchives } from '../../shared/storage/s3-source-archives.ts';
import { sourceArchiveKey } from '../../shared/storage/source-archive-key.ts';
import { s3ClientConfig } from '../support/aws.ts';

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
const OTHER = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';

let services: LocalServices;
let client: S3Client;
let bucket: string;

beforeAll(async () => {
  services = await startLocalServices();
  client = new S3Client(s3ClientConfig(services.env.AWS_ENDPOINT_URL_S3));
  bucket = services.env.RENDER_BUCKET;
});
afterAll(async () => {
  client.destroy();
  await services.stop();
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('S3SourceArchives', () => {
  it('gives back what was put, with its sha256 stored beside it', async () => {
    const store = new S3SourceArchives({ client, bucket });
    const key = sourceArchiveKey('github:github.com/acme/round-trip', SHA);
    const archive = Buffer.from('an archive');
    expect(await store.put(key, archive)).toBe(true);
    expect(await store.get(key)).toEqual(archive);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.Metadata?.sha256).toBe(sha256(archive));
  });

  it('answers undefined for a commit never stored', async () => {
    const store = new S3SourceArchives({ client, bucket });
    expect(await store.get(sourceArchiveKey('github:github.com/acme/never', SHA))).toBeUndefined();
  });

  it('refuses an object whose content is not what its hash says, or that has no hash', async () => {
    const store = new S3SourceArchives({ client, bucket });
    const altered = sourceArchiveKey('github:github.com/acme/altered', SHA);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: altered, Body: 'truncated', Metadata: { sha256: sha256(Buffer.from('truncated!')) } }));
    await expect(store.get(altered)).rejects.toThrow(CorruptSourceArchiveError);
    await expect(store.get(altered)).rejects.toThrow(`shared source archive ${altered}: content does not match the hash stored with it`);
    const bare = sourceArchiveKey('github:github.com/acme/bare', SHA);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: bare, Body: 'no metadata' }));
    await expect(store.get(bare)).rejects.toThrow(/no content hash stored with it/);
  });

  it('stores nothing larger than its bound, and reads nothing larger either', async () => {
    const small = new S3SourceArchives({ client, bucket, maxBytes: 8 });
    const key = sourceArchiveKey('github:github.com/acme/large', SHA);
    expect(await small.put(key, Buffer.alloc(9))).toBe(false);
    expect(await small.get(key)).toBeUndefined();
    expect(await new S3SourceArchives({ client, bucket }).put(key, Buffer.alloc(9))).toBe(true);
    await expect(small.get(key)).rejects.toThrow(/larger than the limit of 8 bytes/);
  });
});

describe('sourceArchiveKey', () => {
  it('names a commit by a hash of the repository and the full sha, lower case', () => {
    const key = sourceArchiveKey('github:github.com/acme/shop', SHA.toUpperCase());
    const repo = sha256(Buffer.from('github:github.com/acme/shop')).slice(0, 32);
    expect(key).toBe(`sources/v1/${repo}/${SHA}.tar.gz`);
    expect(key).not.toContain('acme');
  });

  it('tells repositories and commits apart', () => {
    const keys = new Set([
      sourceArchiveKey('github:github.com/acme/shop', SHA),
      sourceArchiveKey('github:github.com/acme/shop', OTHER),
      sourceArchiveKey('github:github.com/acme/shop2', SHA),
      sourceArchiveKey('github:ghe.example.com/acme/shop', SHA),
    ]);
    expect(keys.size).toBe(4);
  });

  it('refuses anything but a full sha (a branch moves; a path must never reach a key)', () => {
    for (const revision of ['main', '3f78685', `../${SHA}`, `${SHA}/..`]) {
      expect(() => sourceArchiveKey('github:github.com/acme/shop', revision)).toThrow(StorageError);
    }
  });
});
