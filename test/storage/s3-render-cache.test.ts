import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedObject } from '../../shared/render/types.ts';
import { InvalidRenderKeyError } from '../../shared/storage/errors.ts';
import { renderKey } from '../../shared/storage/render-key.ts';
import { S3RenderCache } from '../../shared/storage/s3-render-cache.ts';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { countCommands, s3ClientConfig } from '../support/aws.ts';

const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';

const objects: RenderedObject[] = [
  { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, source: { file: 'shop/ns.yaml', document: 1, line: 1 } },
  {
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 2 } },
    source: { file: 'shop/web.yaml', document: 1, line: 1 },
  },
];

describe('S3RenderCache', () => {
  let services: LocalServices;
  let client: S3Client;
  let bucket: string;
  let counts: Map<string, number>;

  beforeAll(async () => {
    services = await startLocalServices();
    client = new S3Client(s3ClientConfig(services.env.AWS_ENDPOINT_URL_S3));
    bucket = services.env.RENDER_BUCKET;
    counts = countCommands(client);
  });
  afterAll(async () => {
    client.destroy();
    await services.stop();
  });

  it('gives back what was put', async () => {
    const cache = new S3RenderCache({ client, bucket });
    const key = cache.renderKey({ repoURL: 'https://github.com/acme/apps', revision: SHA, path: 'shop' });
    expect(await cache.put(key, objects)).toBe(true);
    expect(await cache.get(key)).toEqual(objects);
  });

  it('writes nothing when the render is already stored', async () => {
    const cache = new S3RenderCache({ client, bucket });
    const key = cache.renderKey({ repoURL: 'https://github.com/acme/apps', revision: SHA, path: 'again' });
    expect(await cache.put(key, objects)).toBe(true);
    const puts = counts.get('PutObjectCommand');
    expect(await cache.put(key, objects)).toBe(false);
    expect(counts.get('PutObjectCommand')).toBe(puts);
    expect(counts.get('HeadObjectCommand')).toBeGreaterThanOrEqual(2);
  });

  it('writes a render it has just found missing without asking again, and asks before any later write', async () => {
    const cache = new S3RenderCache({ client, bucket });
    const key = cache.renderKey({ repoURL: 'https://github.com/acme/apps', revision: SHA, path: 'fresh' });
    expect(await cache.get(key)).toBeUndefined();
    const heads = counts.get('HeadObjectCommand') ?? 0;
    expect(await cache.put(key, objects)).toBe(true);
    expect(counts.get('HeadObjectCommand') ?? 0).toBe(heads);
    expect(await cache.get(key)).toEqual(objects);
    const puts = counts.get('PutObjectCommand');
    expect(await cache.put(key, objects)).toBe(false);
    expect(counts.get('PutObjectCommand')).toBe(puts);
    expect(counts.get('HeadObjectCommand')).toBe(heads + 1);
  });

  it('answers undefined for a render never stored', async () => {
    const cache = new S3RenderCache({ client, bucket });
    expect(await cache.get(renderKey({ repoURL: 'https://github.com/acme/apps', revision: SHA, path: 'never' }))).toBeUndefined();
  });
});

describe('renderKey', () => {
  const base = {
    repoURL: 'https://github.com/acme/apps',
    revision: SHA,
    path: 'shop',
    sourceOptions: { helm: { releaseName: 'shop', values: { a: 1, b: 2 } } },
  };

  it('lives under the commit and is the same for equal inputs in any key order', () => {
    const key = renderKey(base);
    expect(key).toMatch(new RegExp(`^renders/${SHA}/[0-9a-f]{64}\\.json\\.gz$`));
    expect(renderKey({ ...base, sourceOptions: { helm: { values: { b: 2, a: 1 }, releaseName: 'shop' } } })).toBe(key);
    expect(renderKey({ ...base, repoURL: 'https://github.com/acme/apps.git', path: './shop/' })).toBe(key);
  });

  it('differs when anything that shapes the output differs', () => {
    const key = renderKey(base);
    expect(renderKey({ ...base, path: 'shop/overlays/prod' })).not.toBe(key);
    expect(renderKey({ ...base, sourceOptions: { helm: { releaseName: 'shop', values: { a: 1, b: 3 } } } })).not.toBe(key);
    expect(renderKey({ ...base, repoURL: 'https://github.com/acme/other' })).not.toBe(key);
    expect(renderKey({ ...base, revision: 'b'.repeat(40) })).not.toBe(key);
  });

  it('refuses a branch name, which moves', () => {
    expect(() => renderKey({ ...base, revision: 'main' })).toThrow(InvalidRenderKeyError);
  });
});
