// Local mode's dashboard: the API core (shared/api) with no sign-in (the local user is admin;
// or a fixed identity, or whoever a verified Bearer token names: shared/api/bearer.ts) under
// /api/, and the built UI (local/dashboard-assets.ts) for every other path, on loopback.
// Static files get their content type, gzip when the browser takes it (compressed once and
// kept), and never anything outside the assets folder: a path that decodes to `..`, a
// backslash or a NUL is refused before the file system sees it.
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ApiDeps } from '../shared/api/deps.ts';
import { parsedBody } from '../shared/api/http-event.ts';
import { handleApiRequest } from '../shared/api/router.ts';
import { LOCAL_IDENTITY, type Identity } from '../shared/rbac/identity.ts';

export interface DashboardServer {
  url: string;
  close(): Promise<void>;
}

export interface DashboardServerOptions {
  port: number;
  host?: string;
  deps: ApiDeps;
  /** The folder of the built UI, built on first use (dashboardAssets). */
  assets: () => Promise<string>;
  /** Who every request is; local mode's admin by default (tests serve a read-only user with it). */
  identity?: Identity;
  /** Who calls, from the Authorization header (e.g. bearerVerifier); undefined answers 401. Wins over `identity`. */
  identify?: (authorization: string | undefined) => Promise<Identity | undefined>;
}

const MAX_BODY = 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const host = options.host ?? '127.0.0.1';
  const gzipped = new Map<string, { mtimeMs: number; body: Buffer }>();
  const server: Server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`dashboard: ${(error as Error).message.split('\n')[0]}\n`);
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return serveApi(request, response, url);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      response.end('the dashboard serves its files with GET\n');
      return;
    }
    const root = await options.assets();
    // The raw path for the route check: URL parsing resolves `..` and reads `//x` as a host.
    const rawPath = (request.url ?? '/').split('?')[0];
    const file = (await staticFile(root, url.pathname)) ?? (isUiRoute(rawPath) ? await staticFile(root, '/') : undefined);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('not found\n');
      return;
    }
    const extension = extname(file.path).toLowerCase();
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      // Vite names assets by content hash; index.html must be fetched fresh to find new ones.
      'cache-control': extension === '.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
    };
    let body: Buffer = await readFile(file.path);
    if (COMPRESSIBLE.has(extension) && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      const cached = gzipped.get(file.path);
      if (cached?.mtimeMs === file.mtimeMs) body = cached.body;
      else {
        body = gzipSync(body);
        gzipped.set(file.path, { mtimeMs: file.mtimeMs, body });
      }
      headers['content-encoding'] = 'gzip';
      headers.vary = 'accept-encoding';
    }
    headers['content-length'] = String(body.length);
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  async function serveApi(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const text = await readBody(request);
    if (text === undefined) {
      response.writeHead(413, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ error: `the body is over ${MAX_BODY} bytes` }));
      return;
    }
    const body = text === '' ? undefined : parsedBody(text);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]));
    const identity = options.identify ? await options.identify(request.headers.authorization) : (options.identity ?? LOCAL_IDENTITY);
    const answer = await handleApiRequest(
      {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body,
        ...(identity ? { identity } : {}),
      },
      options.deps,
    );
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The file a URL path names inside `root` (`/` is index.html), or undefined: not there, a
 * folder, or a path that would leave the folder (`..` in any spelling, a backslash, a NUL, a
 * symbolic link pointing out).
 */
export async function staticFile(root: string, pathname: string): Promise<{ path: string; mtimeMs: number } | undefined> {
  const decoded = safeDecoded(pathname);
  if (decoded === undefined) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  const relative = segments.length === 0 ? ['index.html'] : segments;
  const realRoot = await realpath(root);
  try {
    const path = await realpath(join(realRoot, ...relative));
    if (!path.startsWith(realRoot + sep)) return undefined;
    const info = await stat(path);
    return info.isFile() ? { path, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A UI route, as CloudFront's rewrite reads it (infra/constructs/dashboard-site.ts): the last
 * segment has no `.`. Only a path staticFile would accept: one it refuses (`..`, `//`, a
 * backslash, a NUL) stays a 404 rather than becoming the UI.
 */
export function isUiRoute(pathname: string): boolean {
  const decoded = safeDecoded(pathname);
  if (decoded === undefined || decoded.includes('//')) return false;
  return !(decoded.split('/').at(-1) ?? '').includes('.');
}

/** The decoded path, or undefined when it does not decode or holds a NUL, a backslash, or a `.` or `..` segment: the one rule both checks above share. */
function safeDecoded(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) return undefined;
  return decoded;
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
