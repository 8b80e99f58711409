// Sign-in as the dashboard does it in AWS, in headless Chromium: config.json names an OpenID
// Connect provider, the page sends the browser there with a PKCE challenge, trades the code it
// gets back (with the verifier) for an ID token at the token endpoint, and sends that token as
// the bearer of every API call. The provider and the API's JWT check cannot run here (Cognito,
// API Gateway): both are stand-ins at the protocol level — the provider checks the PKCE
// verifier against the challenge as RFC 7636 §4.6 says, the API answers 401 without the token.
// The same stand-in API pages a fleet beyond one call (1,500 rows, 1,000 a page, an etag per
// page), which the real pipeline's test does not reach: every page is read, and a change on a
// later page shows although the first page answers 304.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetPage, FleetRow, Me } from '../../shared/api/contract.ts';
import { dashboardAssets } from '../../local/dashboard-assets.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'test-results', 'dashboard');
const CLIENT_ID = 'dashboard-client';

interface AuthorizeRequest {
  query: URLSearchParams;
}
interface TokenRequest {
  form: URLSearchParams;
  verified: boolean;
}

let browser: Browser;
let site: Server;
let provider: Server;
let siteUrl: string;
let providerUrl: string;
const authorizeRequests: AuthorizeRequest[] = [];
const tokenRequests: TokenRequest[] = [];
const apiAuthorizations: string[] = [];
const codes = new Map<string, { challenge: string; redirectUri: string }>();
let idToken = '';
// Every ID token issued (each browser context signs in on its own); the API stand-in takes any of them.
const issuedTokens = new Set<string>();
// On: the API stand-in refuses every token, as an authorizer with the wrong audience would.
let refuseAll = false;

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void =>
  void response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
const body = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};
const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

// The fleet as the API pages it: PAGE rows per call, an opaque cursor to the next page, and an
// etag over each page's own answer (If-None-Match → 304), so a change on a later page leaves
// the first page's etag as it was.
const PAGE = 1000;
const sha = (n: number): string => n.toString(16).padStart(40, '0');
let fleet: FleetRow[] = [];
const fleetRequests: Array<{ cursor: string; status: number }> = [];
function fleetPage(request: IncomingMessage, response: ServerResponse, url: URL): void {
  const start = Number(url.searchParams.get('cursor') ? Buffer.from(url.searchParams.get('cursor')!, 'base64url').toString() : 0);
  const rows = fleet.slice(start, start + PAGE);
  const next = start + PAGE < fleet.length ? Buffer.from(String(start + PAGE)).toString('base64url') : undefined;
  const page: Omit<FleetPage, 'etag'> = { rows, healthCounts: { Healthy: fleet.length }, total: fleet.length, ...(next ? { next } : {}) };
  const etag = `"${createHash('sha256').update(JSON.stringify(page)).digest('base64url')}"`;
  const status = request.headers['if-none-match'] === etag ? 304 : 200;
  fleetRequests.push({ cursor: url.searchParams.get('cursor') ?? '', status });
  if (status === 304) return void response.writeHead(304, { etag }).end();
  json(response, 200, { ...page, etag }, { etag });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does), or set CHROMIUM_PATH`);
  await mkdir(SHOTS, { recursive: true });
  const folder = await dashboardAssets();

  provider = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', providerUrl);
      if (url.pathname === '/.well-known/openid-configuration')
        return json(
          response,
          200,
          { issuer: providerUrl, authorization_endpoint: `${providerUrl}/authorize`, token_endpoint: `${providerUrl}/token` },
          { 'access-control-allow-origin': '*' },
        );
      if (url.pathname === '/authorize') {
        authorizeRequests.push({ query: url.searchParams });
        const code = randomBytes(12).toString('hex');
        const redirectUri = url.searchParams.get('redirect_uri') ?? '';
        codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri });
        const back = new URL(redirectUri);
        back.search = new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' }).toString();
        return void response.writeHead(302, { location: back.href }).end();
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        const form = new URLSearchParams(await body(request));
        const issued = codes.get(form.get('code') ?? '');
        // RFC 7636 §4.6: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))) == code_challenge.
        const verified =
          !!issued &&
          createHash('sha256')
            .update(form.get('code_verifier') ?? '')
            .digest('base64url') === issued.challenge;
        tokenRequests.push({ form, verified });
        const cors = { 'access-control-allow-origin': siteUrl };
        if (!verified || issued.redirectUri !== form.get('redirect_uri')) return json(response, 400, { error: 'invalid_grant' }, cors);
        codes.delete(form.get('code') ?? '');
        idToken = `${part({ alg: 'none' })}.${part({ iss: providerUrl, aud: CLIENT_ID, sub: 'u-42', email: 'ana@example.com', exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;
        issuedTokens.add(idToken);
        return json(response, 200, { id_token: idToken, access_token: 'opaque', token_type: 'Bearer', expires_in: 3600 }, cors);
      }
      response.writeHead(404).end();
    })();
  });
  providerUrl = await listen(provider);

  site = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', siteUrl);
      if (url.pathname === '/config.json')
        return json(response, 200, {
          issuer: providerUrl,
          clientId: CLIENT_ID,
          scopes: ['openid', 'email'],
          redirectUri: `${siteUrl}/`,
          bearerToken: 'id_token',
        });
      if (url.pathname.startsWith('/api/')) {
        const authorization = request.headers.authorization ?? '';
        apiAuthorizations.push(authorization);
        if (refuseAll || !issuedTokens.has(authorization.replace(/^Bearer /, ''))) return json(response, 401, { error: 'no valid token' });
        if (url.pathname === '/api/me') return json(response, 200, { user: 'u-42', groups: ['ops'], signInRequired: true } satisfies Me);
        if (url.pathname === '/api/fleet') return fleetPage(request, response, url);
        return json(response, 404, { error: 'not here' });
      }
      const file = normalize(url.pathname === '/' ? 'index.html' : url.pathname.slice(1));
      // As CloudFront's error responses do for the dashboard: a path that is no file gets index.html.
      const found = await readFile(join(folder, file)).then(
        (content) => ({ content, type: extname(file) === '.js' ? 'text/javascript' : extname(file) === '.css' ? 'text/css' : 'text/html' }),
        async () => ({ content: await readFile(join(folder, 'index.html')), type: 'text/html' }),
      );
      response.writeHead(200, { 'content-type': found.type }).end(found.content);
    })();
  });
  siteUrl = await listen(site);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  site?.close();
  provider?.close();
});

describe('dashboard sign-in (authorization code with PKCE)', () => {
  it('goes to the provider with an S256 challenge, trades the code with its verifier, and calls the API with the ID token', async () => {
    const page = await browser.newPage();
    // A check run's details link names the app by path; it survives the trip to the provider.
    await page.goto(`${siteUrl}/apps/web?cluster=prod-eu`);
    await page.getByTestId('me').waitFor({ timeout: 20_000 });

    expect(authorizeRequests).toHaveLength(1);
    const asked = authorizeRequests[0].query;
    expect(Object.fromEntries(asked)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${siteUrl}/`,
      scope: 'openid email',
      code_challenge_method: 'S256',
    });
    expect(asked.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(asked.get('state')).toBeTruthy();

    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0].verified).toBe(true);
    expect(Object.fromEntries(tokenRequests[0].form)).toMatchObject({ grant_type: 'authorization_code', client_id: CLIENT_ID, redirect_uri: `${siteUrl}/` });

    // Every API call after sign-in carried the ID token; none went out before it.
    expect(apiAuthorizations.length).toBeGreaterThan(0);
    expect(apiAuthorizations.every((value) => value === `Bearer ${idToken}`)).toBe(true);
    expect(await page.getByTestId('me').textContent()).toContain('u-42');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    // The code is gone from the address bar and the view asked for before sign-in is back.
    expect(new URL(page.url()).search).toBe('');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(new URL(page.url()).hash).toBe('#/apps/web/prod-eu');
    await page.getByRole('heading', { name: 'web', level: 1 }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SHOTS, 'signed-in.png') });
    await page.close();
  });

  it('refuses an answer whose state is not the one this page sent', async () => {
    const page = await browser.newPage();
    await page.goto(`${siteUrl}/?code=forged&state=not-mine`);
    await page.getByRole('alert').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('alert').textContent()).toMatch(/state/);
    expect(tokenRequests).toHaveLength(1);
    await page.close();
  });

  it('signs in again once when the API refuses the token, then shows the 401 instead of going round in circles', async () => {
    refuseAll = true;
    try {
      const before = authorizeRequests.length;
      const page = await browser.newPage();
      await page.goto(`${siteUrl}/`);
      await page.getByRole('alert').filter({ hasText: 'no valid token' }).first().waitFor({ timeout: 20_000 });
      // The first sign-in, and one more after the first 401: no more however long the page stays.
      await page.waitForTimeout(4000);
      expect(authorizeRequests.length - before).toBe(2);
      await page.close();
    } finally {
      refuseAll = false;
    }
  });
});

describe('a fleet beyond one page', () => {
  it('reads every page, and shows a change on a later page (each page polled with its own etag)', async () => {
    fleet = Array.from({ length: 1500 }, (_, index) => ({
      app: `app-${String(index).padStart(4, '0')}`,
      cluster: 'prod',
      project: 'default',
      clusterLabels: {},
      syncStatus: 'Synced',
      health: 'Healthy',
      drift: 'InSync',
      revision: sha(1),
      suspended: false,
      allowed: { sync: false, rollback: false, suspend: false },
    }));
    const page = await browser.newPage();
    await page.goto(`${siteUrl}/`);
    await page.locator('[data-testid=fleet-row][data-app=app-1499]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=fleet-row]').count()).toBe(1500);

    // Nothing changed: a poll is a 304 for each page.
    fleetRequests.length = 0;
    await page.waitForResponse((response) => response.url().includes('/api/fleet?cursor=') && response.status() === 304, { timeout: 20_000 });
    expect(fleetRequests.slice(0, 2)).toEqual([
      { cursor: '', status: 304 },
      { cursor: expect.any(String), status: 304 },
    ]);

    fleet = fleet.map((row) => (row.app === 'app-1400' ? { ...row, revision: sha(2) } : row));
    await page.locator('[data-app=app-1400] [data-testid=revision]', { hasText: sha(2).slice(0, 7) }).waitFor({ timeout: 20_000 });
    expect(fleetRequests.some((entry) => entry.cursor === '' && entry.status === 200)).toBe(false);
  });
});
