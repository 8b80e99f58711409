// renderOnce with jobs running at once in one process (a batch's groups): two jobs that miss
// the render cache for the same key while one is rendering make one render and one write, and
// a render that failed is tried again by the next job rather than remembered.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppSpec } from '../../shared/config/types.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { Discovery } from '../../shared/kube/discovery.ts';
import type { RenderedObject } from '../../shared/render/types.ts';
import { MemoryRenderCache } from '../../shared/restore/memory-render-cache.ts';
import type { FetchedSource } from '../../shared/source/fetcher.ts';
import { renderOnce } from '../../shared/worker/render-once.ts';

const SHA = 'c0ffee'.padEnd(40, '0');
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'render-once-'));
  await mkdir(join(root, 'apps/web'), { recursive: true });
  await writeFile(join(root, 'apps/web/config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  colour: blue\n');
  await mkdir(join(root, 'apps/broken'), { recursive: true });
  await writeFile(join(root, 'apps/broken/bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n');
});
afterAll(() => rm(root, { recursive: true, force: true }));

function app(name: string, path: string): AppSpec {
  return {
    name,
    project: 'default',
    source: { repoURL: 'https://github.com/acme/gitops.git', path, targetRevision: 'main' },
    destinations: [{ cluster: 'prod', namespace: 'web' }],
    syncPolicy: { syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: `driftless/${name}.yaml` },
  } as unknown as AppSpec;
}

/** A render cache that counts what is asked of it; everything else as MemoryRenderCache. */
class CountingCache extends MemoryRenderCache {
  gets = 0;
  puts = 0;
  override async get(key: string): Promise<RenderedObject[] | undefined> {
    this.gets++;
    // A round trip to S3, during which another job may miss the same key.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return super.get(key);
  }
  override async put(key: string, objects: RenderedObject[]): Promise<boolean> {
    this.puts++;
    return super.put(key, objects);
  }
}

const tree: FetchedSource = { root: '', sha: SHA, dispose: async () => {} };
// Directory sources never ask the cluster anything (only Helm asks for Capabilities).
const discovery = () => new Discovery({} as KubeClient);

it('renders once and writes once when jobs miss the same key at the same time', async () => {
  const cache = new CountingCache();
  const web = app('web', 'apps/web');
  const fetched = { ...tree, root };
  const results = await Promise.all([0, 1, 2].map(() => renderOnce(web, 'web', fetched, cache, discovery())));
  expect(cache.puts).toBe(1);
  expect(cache.gets).toBe(1);
  expect(new Set(results.map((result) => result.key)).size).toBe(1);
  for (const result of results) expect(result.objects.map(({ object }) => `${object.kind}/${object.metadata.name}`)).toEqual(['ConfigMap/web']);
  // Exactly one of them rendered; the others were given its render.
  expect(results.filter((result) => !result.cached)).toHaveLength(1);
  // A later job reads the cache as before.
  const later = await renderOnce(web, 'web', fetched, cache, discovery());
  expect(later.cached).toBe(true);
  expect(cache.gets).toBe(2);
});

it('keeps different keys apart: another namespace is another render', async () => {
  const cache = new CountingCache();
  const web = app('web', 'apps/web');
  const fetched = { ...tree, root };
  const [first, second] = await Promise.all([renderOnce(web, 'web', fetched, cache, discovery()), renderOnce(web, 'other', fetched, cache, discovery())]);
  expect(first.key).not.toBe(second.key);
  expect(cache.puts).toBe(2);
});

it('fails every job waiting on a failed render, and the next job renders again', async () => {
  const cache = new CountingCache();
  const broken = app('broken', 'apps/broken');
  const fetched = { ...tree, root };
  const answers = await Promise.allSettled([0, 1].map(() => renderOnce(broken, 'web', fetched, cache, discovery())));
  expect(answers.map((answer) => answer.status)).toEqual(['rejected', 'rejected']);
  expect(cache.gets).toBe(1);
  await expect(renderOnce(broken, 'web', fetched, cache, discovery())).rejects.toThrow();
  expect(cache.gets).toBe(2);
  expect(cache.puts).toBe(0);
});
