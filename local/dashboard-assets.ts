// The dashboard's static files (functions/api/web, Preact) built with Vite into
// node_modules/.cache/driftless/dashboard/: local mode serves that folder and the CDK stack
// deploys it. Built on first use and again only when a source is newer than the last build, so a
// second start costs a few stat calls. `npm run build:dashboard` builds it ahead (for `cdk deploy`).
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DASHBOARD_SOURCE = join(ROOT, 'functions', 'api', 'web');
export const DASHBOARD_OUT = join(ROOT, 'node_modules', '.cache', 'driftless', 'dashboard');

// One build at a time per output folder in this process; the test suite builds once before any
// file runs (test/global-setup.ts), so parallel test files never swap the folder under each other.
const building = new Map<string, Promise<string>>();

/**
 * The folder holding the built dashboard (index.html and assets/), built first when stale.
 * `outDir` (tests) builds elsewhere than the shared folder, its stamp beside it.
 */
export function dashboardAssets(options: { force?: boolean; outDir?: string } = {}): Promise<string> {
  const out = options.outDir ?? DASHBOARD_OUT;
  let pending = options.force ? undefined : building.get(out);
  if (!pending) {
    pending = ensureBuilt(out, options.force ?? false).finally(() => building.delete(out));
    building.set(out, pending);
  }
  return pending;
}

/** Where the build of `out` records when it began: beside the folder, not in it (the folder is deployed as it is). */
export function stampOf(out: string): string {
  return `${out}.built`;
}

async function ensureBuilt(out: string, force: boolean): Promise<string> {
  const stamp = stampOf(out);
  if (!force && (await builtAfter(stamp, await newestSource()))) return out;
  // Built beside the folder and swapped in, so a server reading the old build never sees half a new one.
  const scratch = `${out}.build-${process.pid}-${Date.now()}`;
  // The stamp carries the time the build began: a source saved during the build is newer than it.
  const began = new Date();
  try {
    await runVite(scratch);
    const old = `${out}.old-${process.pid}-${Date.now()}`;
    await rename(out, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(scratch, out);
    await rm(old, { recursive: true, force: true });
    await writeFile(stamp, `${began.toISOString()}\n`);
    await utimes(stamp, began, began);
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw new Error(`dashboard build of ${DASHBOARD_SOURCE} failed: ${(error as Error).message}`, { cause: error });
  }
  return out;
}

async function runVite(outDir: string): Promise<void> {
  await mkdir(dirname(outDir), { recursive: true });
  // Imported here: a server whose build is fresh never loads the bundler.
  const [{ build }, { default: preact }] = await Promise.all([import('vite'), import('@preact/preset-vite')]);
  // Vite takes a NODE_ENV already set (vitest sets "test") as a development build: Preact's
  // devtools and the JSX dev transform would ship, twice the size. A build is for production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: DASHBOARD_SOURCE,
      configFile: false,
      mode: 'production',
      // Absolute asset URLs: index.html is also the answer for deep links (/apps/<app>), where a
      // relative ./assets would point under /apps/. The dashboard is served at its host's root.
      base: '/',
      publicDir: false,
      logLevel: 'warn',
      plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
      build: { outDir, emptyOutDir: true, reportCompressedSize: false, chunkSizeWarningLimit: 200 },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/** The newest modification time among the dashboard's sources (index.html, src/**) and Preact itself. */
async function newestSource(): Promise<number> {
  let newest = (await stat(join(ROOT, 'node_modules', 'preact', 'package.json'))).mtimeMs;
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else newest = Math.max(newest, (await stat(path)).mtimeMs);
    }
  };
  newest = Math.max(newest, (await stat(join(DASHBOARD_SOURCE, 'index.html'))).mtimeMs);
  await visit(join(DASHBOARD_SOURCE, 'src'));
  return newest;
}

async function builtAfter(stamp: string, time: number): Promise<boolean> {
  try {
    return (await stat(stamp)).mtimeMs >= time;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  const started = performance.now();
  const folder = await dashboardAssets({ force: process.argv.includes('--force') });
  console.log(`dashboard: ${folder} (${Math.round(performance.now() - started)} ms)`);
}
