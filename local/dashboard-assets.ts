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
// Beside the folder, not in it (the folder is deployed as it is); written once a build is in place.
export const DASHBOARD_STAMP = `${DASHBOARD_OUT}.built`;

let building: Promise<string> | undefined;

/** The folder holding the built dashboard (index.html and assets/), built first when stale. */
export function dashboardAssets(options: { force?: boolean } = {}): Promise<string> {
  if (options.force || !building) building = ensureBuilt(options.force ?? false).finally(() => (building = undefined));
  return building;
}

async function ensureBuilt(force: boolean): Promise<string> {
  if (!force && (await builtAfter(await newestSource()))) return DASHBOARD_OUT;
  // Built beside the folder and swapped in, so a server reading the old build never sees half a new one.
  const scratch = `${DASHBOARD_OUT}.build-${process.pid}-${Date.now()}`;
  // The stamp carries the time the build began: a source saved during the build is newer than it.
  const began = new Date();
  try {
    await runVite(scratch);
    const old = `${DASHBOARD_OUT}.old-${process.pid}-${Date.now()}`;
    await rename(DASHBOARD_OUT, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(scratch, DASHBOARD_OUT);
    await rm(old, { recursive: true, force: true });
    await writeFile(DASHBOARD_STAMP, `${began.toISOString()}\n`);
    await utimes(DASHBOARD_STAMP, began, began);
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw new Error(`dashboard build of ${DASHBOARD_SOURCE} failed: ${(error as Error).message}`, { cause: error });
  }
  return DASHBOARD_OUT;
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

async function builtAfter(time: number): Promise<boolean> {
  try {
    return (await stat(DASHBOARD_STAMP)).mtimeMs >= time;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  const started = performance.now();
  const folder = await dashboardAssets({ force: process.argv.includes('--force') });
  console.log(`dashboard: ${folder} (${Math.round(performance.now() - started)} ms)`);
}
