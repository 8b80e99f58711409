import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TreeCache } from '../../shared/source/tree-cache.ts';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('TreeCache', () => {
  it('builds a commit once for concurrent users', async () => {
    const cache = new TreeCache();
    let builds = 0;
    const build = async (dir: string) => {
      builds++;
      await writeFile(join(dir, 'a.yaml'), 'a');
    };
    const [a, b] = await Promise.all([cache.acquire('k', 'sha', build), cache.acquire('k', 'sha', build)]);
    expect(builds).toBe(1);
    expect(a.root).toBe(b.root);
    await a.dispose();
    await b.dispose();
    await cache.clear();
    expect(await exists(a.root)).toBe(false);
  });

  it('deletes the oldest idle trees beyond the bound, never one in use', async () => {
    const cache = new TreeCache({ maxIdle: 1 });
    const noop = async () => {};
    const held = await cache.acquire('held', 's0', noop);
    const one = await cache.acquire('one', 's1', noop);
    const two = await cache.acquire('two', 's2', noop);
    await one.dispose();
    await two.dispose();
    expect(cache.keys().sort()).toEqual(['held', 'two']);
    expect(await exists(one.root)).toBe(false);
    expect(await exists(two.root)).toBe(true);
    expect(await exists(held.root)).toBe(true);
    await held.dispose();
    await held.dispose(); // a second dispose must not release someone else's hold
    expect(cache.keys()).toEqual(['held']);
    await cache.clear();
  });

  it('forgets a failed build and removes its folder, so the next fetch tries again', async () => {
    const cache = new TreeCache();
    let folder = '';
    await expect(
      cache.acquire('k', 'sha', async (dir) => {
        folder = dir;
        throw new Error('network down');
      }),
    ).rejects.toThrow('network down');
    expect(await exists(folder)).toBe(false);
    expect(cache.keys()).toEqual([]);
    const ok = await cache.acquire('k', 'sha', async () => {});
    expect(ok.sha).toBe('sha');
    await ok.dispose();
    await cache.clear();
  });
});
