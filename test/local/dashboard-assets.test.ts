// The dashboard's build: a folder with index.html and its assets, referenced from the host's
// root (index.html also answers deep links such as /apps/web), nothing from another host,
// JS + CSS under the 200 KB gzipped, and built again only when the build is stale.
import { mkdtemp, readFile, readdir, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dashboardAssets, stampOf } from '../../local/dashboard-assets.ts';

describe('dashboardAssets', () => {
  it('builds index.html whose script and stylesheet are files of the build under /assets/, none from another host', async () => {
    const folder = await dashboardAssets();
    const html = await readFile(join(folder, 'index.html'), 'utf8');
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    expect(references.some((reference) => reference.endsWith('.js'))).toBe(true);
    expect(references.some((reference) => reference.endsWith('.css'))).toBe(true);
    for (const reference of references) {
      expect(reference).toMatch(/^\/assets\//);
      await expect(stat(join(folder, reference))).resolves.toBeTruthy();
    }
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('ships JS and CSS under 200 KB gzipped', async () => {
    const folder = await dashboardAssets();
    let gzipped = 0;
    for (const name of await readdir(join(folder, 'assets'))) {
      if (/\.(js|css)$/.test(name)) gzipped += gzipSync(await readFile(join(folder, 'assets', name)), { level: 9 }).length;
    }
    expect(gzipped).toBeGreaterThan(0);
    expect(gzipped).toBeLessThan(200 * 1024);
  });

  it('reuses a fresh build, and builds again (for production) once the build is older than the sources', async () => {
    // A folder of its own: the shared one is served by other test files meanwhile.
    const outDir = join(await mkdtemp(join(tmpdir(), 'driftless-dashboard-')), 'dashboard');
    const folder = await dashboardAssets({ outDir });
    expect(folder).toBe(outDir);
    const built = (await stat(join(folder, 'index.html'))).mtimeMs;
    await dashboardAssets({ outDir });
    expect((await stat(join(folder, 'index.html'))).mtimeMs).toBe(built);

    await utimes(stampOf(outDir), new Date(0), new Date(0));
    await dashboardAssets({ outDir });
    expect((await stat(join(folder, 'index.html'))).mtimeMs).toBeGreaterThan(built);
    expect((await stat(stampOf(outDir))).mtimeMs).toBeGreaterThan(0);

    // Built here, under vitest's NODE_ENV=test, it is still a production build: no Preact devtools hook.
    for (const name of await readdir(join(folder, 'assets'))) {
      if (name.endsWith('.js')) expect(await readFile(join(folder, 'assets', name), 'utf8')).not.toContain('__PREACT_DEVTOOLS__');
    }
  });
});
