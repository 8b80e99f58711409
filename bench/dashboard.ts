// npm run bench:dashboard — the dashboard's weight and speed: the gzipped size of the built JS
// and CSS (the budget is < 200 KB), and in Debian's headless Chromium the time from
// navigation to 1,000 fleet rows on screen, then the time for one changed row to show after a
// poll. The API is a stand-in answering the contract's shape (one call, etag / 304), so the
// numbers are the UI's own; the API's cost is measured by its tests. Prints; asserts nothing.
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { FleetPage, FleetRow } from '../shared/api/contract.ts';
import { dashboardAssets } from '../local/dashboard-assets.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1000);
const BUDGET = 200 * 1024;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const folder = await dashboardAssets();
let total = 0;
console.log(['file'.padEnd(34), 'bytes'.padStart(10), 'gzipped'.padStart(10)].join(''));
for (const name of (await readdir(join(folder, 'assets'))).sort()) {
  if (!/\.(js|css)$/.test(name)) continue;
  const bytes = await readFile(join(folder, 'assets', name));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  total += gzipped;
  console.log([name.padEnd(34), String(bytes.length).padStart(10), String(gzipped).padStart(10)].join(''));
}
console.log(`JS + CSS gzipped: ${(total / 1024).toFixed(1)} KiB (budget ${BUDGET / 1024} KiB: ${total < BUDGET ? 'within' : 'OVER'})\n`);

const sha = (n: number): string => n.toString(16).padStart(40, 'a');
let rows: FleetRow[] = Array.from({ length: ROWS }, (_, index) => ({
  app: `app-${String(index).padStart(4, '0')}`,
  cluster: `cluster-${index % 10}`,
  project: `team-${index % 7}`,
  applicationSet: index % 3 === 0 ? 'services' : undefined,
  clusterLabels: { env: index % 2 ? 'prod' : 'staging' },
  namespace: `ns-${index}`,
  syncStatus: 'Synced',
  health: index % 50 === 0 ? 'Degraded' : 'Healthy',
  drift: 'InSync',
  revision: sha(index),
  revisionUrl: `https://github.com/acme/gitops/commit/${sha(index)}`,
  lastSyncAt: new Date(Date.now() - index * 60_000).toISOString(),
  message: 'successfully synced (all tasks run)',
  suspended: false,
  allowed: { sync: true, rollback: true, suspend: true },
}));
let version = 1;
const fleet = (): FleetPage => ({
  rows,
  total: rows.length,
  etag: `"v${version}"`,
  healthCounts: rows.reduce<FleetPage['healthCounts']>((counts, row) => ({ ...counts, [row.health]: (counts[row.health] ?? 0) + 1 }), {}),
});

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };
async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://bench').pathname;
  if (path === '/api/me') return json(response, { user: 'bench', groups: [], signInRequired: false });
  if (path === '/api/fleet') {
    const page = fleet();
    if (request.headers['if-none-match'] === page.etag) return void response.writeHead(304, { etag: page.etag }).end();
    return json(response, page, { etag: page.etag });
  }
  const file = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
  if (file.includes('..')) return void response.writeHead(400).end();
  try {
    const body = await readFile(join(folder, file));
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
}
function json(response: ServerResponse, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

const server = createServer((request, response) => void serve(request, response));
await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }).catch((error: Error) => {
  throw new Error(`cannot start Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH): ${error.message}`);
});
// The code run inside the page is written as strings: this file is type-checked for Node, without
// the DOM's types.
const ROWS_ON_SCREEN = (count: number): string => `document.querySelectorAll('[data-testid=fleet-row]').length >= ${count} && performance.now()`;
const PAGE_TIMING = `(() => {
  const entry = performance.getEntriesByType('navigation')[0];
  const api = performance.getEntriesByType('resource').find((resource) => resource.name.endsWith('/api/fleet'));
  return { dom: Math.round(entry.domContentLoadedEventEnd), api: Math.round(api ? api.responseEnd : 0) };
})()`;
const SEARCH = (text: string): string => `(async () => {
  const input = document.querySelector('input[type=search]');
  const began = performance.now();
  input.value = ${JSON.stringify(text)};
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return { ms: Math.round(performance.now() - began), rows: document.querySelectorAll('[data-testid=fleet-row]').length };
})()`;

try {
  const page = await browser.newPage();
  // A fresh Chromium spends its first paint of text loading fonts (seconds on a busy machine):
  // a page of text first, so the first load measures the dashboard, not the browser's start.
  await page.setContent('<p style="font-family: system-ui">warm</p><p style="font-family: monospace">up</p>');
  await page.waitForFunction('new Promise((done) => requestAnimationFrame(() => done(true)))');
  // Timed inside the page, from its navigation start to the frame where the rows exist; the
  // first load has nothing of the dashboard cached, the second is a reload.
  for (const label of ['first load', 'reload']) {
    await page.goto(url);
    const first = Number(await (await page.waitForFunction(ROWS_ON_SCREEN(1), undefined, { polling: 'raf' })).jsonValue());
    const last = Number(await (await page.waitForFunction(ROWS_ON_SCREEN(ROWS), undefined, { polling: 'raf' })).jsonValue());
    const timing = (await page.evaluate(PAGE_TIMING)) as { dom: number; api: number };
    console.log(
      `${label}, ${ROWS} rows: first rows on screen at ${Math.round(first)} ms, the last at ${Math.round(last)} ms from navigation (DOMContentLoaded ${timing.dom} ms, /api/fleet answered at ${timing.api} ms)`,
    );
  }

  // One row changes; the next poll (every 3 s) brings it. Timed from the change being served.
  rows = rows.map((row, index) => (index === ROWS >> 1 ? { ...row, revision: sha(999_999), health: 'Progressing' } : row));
  version += 1;
  const changed = performance.now();
  await page.locator(`[data-app="${rows[ROWS >> 1].app}"] [data-testid=revision]`, { hasText: sha(999_999).slice(0, 7) }).waitFor();
  console.log(`one changed row on screen: ${Math.round(performance.now() - changed)} ms after it was served (polling every 3 s)`);

  const search = (await page.evaluate(SEARCH('app-09'))) as { ms: number; rows: number };
  console.log(`search filter to ${search.rows} rows: ${search.ms} ms`);
} finally {
  await browser.close();
  server.close();
}
