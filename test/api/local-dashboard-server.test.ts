// Local mode's dashboard server: the built UI's index and its assets with their content types
// (gzip when asked), nothing outside the assets folder whatever the spelling of the path, and
// the API under /api/ as the local user, who has not signed in (or, with a verifier, as whoever
// a Bearer token checked as API Gateway's JWT authorizer checks it names).
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerVerifier } from '../../shared/api/bearer.ts';
import { apiDependencies } from '../../shared/api/environment.ts';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import type { ApiDeps } from '../../shared/api/deps.ts';
import { dashboardAssets } from '../../local/dashboard-assets.ts';
import { startDashboardServer, type DashboardServer } from '../../local/dashboard-server.ts';

const SECRET = 'outside-the-assets-folder';

/** A raw request: the path goes out exactly as written (fetch would resolve `..` itself). */
function get(
  server: DashboardServer,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: url.hostname, port: url.port, path, method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

// No route here reads the state: the local user's /api/me and a wrong method answer from the router alone.
const deps = {} as ApiDeps;

describe('with a folder of assets', () => {
  let server: DashboardServer;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dashboard-'));
    const root = join(dir, 'dist');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Driftless</title><div id="root"></div>');
    await writeFile(join(root, 'assets', 'app-1a2b.js'), `export const app = ${JSON.stringify('x'.repeat(2000))};\n`);
    await writeFile(join(root, 'assets', 'app-1a2b.css'), 'body { margin: 0 }\n');
    await writeFile(join(dir, 'secret.txt'), SECRET);
    await symlink(dir, join(root, 'link-out'));
    server = await startDashboardServer({ port: 0, deps, assets: async () => root });
  });
  afterAll(() => server?.close());

  it('serves index.html at / and assets with their content types', async () => {
    const index = await get(server, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body.toString()).toContain('<div id="root">');
    expect((await get(server, '/assets/app-1a2b.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get(server, '/assets/app-1a2b.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get(server, '/assets/missing.js')).status).toBe(404);
  });

  it("answers the UI's routes (no extension in the last segment) with index.html, as the distribution's rewrite does", async () => {
    // The link a check run carries: `${DASHBOARD_URL}/apps/<app>?cluster=<cluster>`.
    for (const path of ['/apps/guestbook?cluster=local', '/apps/web', '/apps/my%20app/']) {
      const answer = await get(server, path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.body.toString()).toContain('<div id="root">');
    }
    // A missing file keeps its 404: only extension-less paths are routes.
    expect((await get(server, '/apps/web.js')).status).toBe(404);
  });

  it('gzips when the browser accepts it', async () => {
    const plain = await get(server, '/assets/app-1a2b.js');
    const zipped = await get(server, '/assets/app-1a2b.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/index.html%00',
    '/link-out/secret.txt',
    '//etc/passwd',
    '/assets/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/apps/..%5c..%5cpasswd',
  ])('refuses %s', async (path) => {
    const answer = await get(server, path);
    expect(answer.status).toBe(404);
    expect(answer.body.toString()).not.toContain(SECRET);
    expect(answer.body.toString()).not.toContain('root:');
  });

  it('answers the API as the local user, who needs no sign-in', async () => {
    const me = await get(server, '/api/me');
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body.toString())).toEqual({ user: 'local', groups: [], signInRequired: false });
    expect((await get(server, '/api/fleet', {}, 'DELETE')).status).toBe(405);
    expect((await get(server, '/index.html', {}, 'POST')).status).toBe(405);
  });
});

describe('with the UI as local/dashboard-assets.ts builds it', () => {
  let server: DashboardServer;
  beforeAll(async () => {
    server = await startDashboardServer({ port: 0, deps, assets: () => dashboardAssets() });
  }, 120_000);
  afterAll(() => server?.close());

  it("serves the UI's index and the script it names", async () => {
    const index = await get(server, '/');
    expect(index.status).toBe(200);
    const script = /<script[^>]+src="([^"]+)"/.exec(index.body.toString())?.[1];
    expect(script).toMatch(/^\/assets\/.+\.js$/);
    const asset = await get(server, script ?? '');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });
});

describe('with sign-in: Bearer tokens checked as the JWT authorizer checks them', () => {
  const issuer = 'https://idp.example.com/';
  const audience = 'dashboard-client';
  let server: DashboardServer;
  let services: LocalServices;
  let sign: (claims: Record<string, unknown>, options?: { issuer?: string; audience?: string; expiresIn?: string | number }) => Promise<string>;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    sign = (claims, options = {}) => {
      const token = new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(options.issuer ?? issuer)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m');
      if (options.audience !== '') token.setAudience(options.audience ?? audience);
      return token.sign(privateKey);
    };
    const root = await mkdtemp(join(tmpdir(), 'dashboard-signin-'));
    // A signed-in user's /api/me reads the registry (for its scopes): a real, empty table.
    services = await startLocalServices();
    Object.assign(process.env, services.env);
    server = await startDashboardServer({
      port: 0,
      deps: apiDependencies(process.env),
      assets: async () => root,
      identify: bearerVerifier({ issuer, audience, jwks: { keys: [jwk] } }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await services?.stop();
  });

  it('a valid ID token is its subject', async () => {
    const me = await get(server, '/api/me', { authorization: `Bearer ${await sign({ sub: 'alice', email: 'alice@example.com' })}` });
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body.toString())).toMatchObject({ user: 'alice', signInRequired: true });
  });

  it('a Cognito access token carries the audience as client_id', async () => {
    const token = await sign({ sub: 'bob', client_id: audience, token_use: 'access' }, { audience: '' });
    expect((await get(server, '/api/me', { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it.each([
    ['no Authorization header', async () => undefined],
    ['another audience', async () => `Bearer ${await sign({ sub: 'eve' }, { audience: 'someone-else' })}`],
    ['another issuer', async () => `Bearer ${await sign({ sub: 'eve' }, { issuer: 'https://evil.example.com/' })}`],
    ['an expired token', async () => `Bearer ${await sign({ sub: 'eve' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 })}`],
    [
      'a token signed with another key',
      async () =>
        `Bearer ${await new SignJWT({ sub: 'eve' })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime('5m')
          .sign((await generateKeyPair('RS256')).privateKey)}`,
    ],
    ['not a Bearer', async () => 'Basic YWxpY2U6c2VjcmV0'],
  ])('%s is 401', async (_, header) => {
    const authorization = await header();
    const answer = await get(server, '/api/me', authorization ? { authorization } : {});
    expect(answer.status).toBe(401);
    if (authorization) expect(answer.body.toString()).not.toContain(authorization.split(' ')[1]);
  });
});
