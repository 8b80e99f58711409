// The tags list of registries that hand out Bearer tokens (ghcr.io, public.ecr.aws, Docker Hub),
// as the distribution spec's token authentication describes it: a 401 with
// `WWW-Authenticate: Bearer realm=…,service=…`, a token from the realm for
// `scope=repository:<name>:pull` (anonymous for public repositories, Basic credentials for
// private ones), pages linked with `Link: <…>; rel="next"`. docker-registry cannot issue tokens
// without a PKI of its own, so this registry is a protocol-level double.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChartAuthError, ChartNotFoundError } from '../../../shared/source/chart/errors.ts';
import { listOciTags } from '../../../shared/source/chart/oci-tags.ts';
import { parseChartRepoURL, type OciRepoLocation } from '../../../shared/source/chart/repo-url.ts';
import { closeServer, listenLocally } from '../../support/http.ts';

const TRANSPORT = { policy: { allowLoopback: true }, retry: { attempts: 1, delayMs: 0 }, timeoutMs: 5000 };
const PRIVATE = { username: 'robot', password: 'registry-robot-password' };

let base: string;
let repo: OciRepoLocation;
const seen: Array<{ path: string; authorization?: string }> = [];
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  seen.push({ path: `${url.pathname}${url.search}`, authorization: req.headers.authorization });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  if (url.pathname === '/token') {
    const scope = url.searchParams.get('scope') ?? '';
    const isPrivate = scope.startsWith('repository:private/');
    const basic = `Basic ${Buffer.from(`${PRIVATE.username}:${PRIVATE.password}`).toString('base64')}`;
    if (isPrivate && req.headers.authorization !== basic) return json(401, { errors: [{ code: 'UNAUTHORIZED' }] });
    return json(200, { token: `token-for:${scope}` });
  }
  const match = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
  if (!match) return json(404, { errors: [{ code: 'NOT_FOUND' }] });
  const name = match[1];
  if (req.headers.authorization !== `Bearer token-for:repository:${name}:pull`) {
    return json(
      401,
      { errors: [{ code: 'UNAUTHORIZED' }] },
      { 'www-authenticate': `Bearer realm="${base}/token",service="double-registry",scope="repository:${name}:pull"` },
    );
  }
  if (name.endsWith('/missing')) return json(404, { errors: [{ code: 'NAME_UNKNOWN' }] });
  if (url.searchParams.get('last') === '1.1.0_build.1') return json(200, { name, tags: ['2.0.0'] });
  json(200, { name, tags: ['1.0.0', '1.1.0_build.1'] }, { link: `</v2/${name}/tags/list?last=1.1.0_build.1&n=2>; rel="next"` });
});

beforeAll(async () => {
  base = `http://127.0.0.1:${await listenLocally(server)}`;
  repo = parseChartRepoURL(`oci://${base.slice('http://'.length)}/org/charts`, { allowLoopback: true }) as OciRepoLocation;
});
afterAll(() => closeServer(server));

describe('listOciTags with Bearer tokens', () => {
  it('fetches an anonymous token for the pull scope, follows the pages, and reads _ as +', async () => {
    seen.length = 0;
    expect(await listOciTags(repo, 'app', undefined, TRANSPORT)).toEqual(['1.0.0', '1.1.0+build.1', '2.0.0']);
    const token = seen.find((request) => request.path.startsWith('/token'));
    expect(token?.path).toBe('/token?service=double-registry&scope=repository%3Aorg%2Fcharts%2Fapp%3Apull');
    expect(token?.authorization).toBeUndefined();
  });

  it('sends credentials to the token service of a private repository, and says when they are missing', async () => {
    const privateRepo = parseChartRepoURL(`${base.slice('http://'.length)}/private`, { allowLoopback: true }) as OciRepoLocation;
    expect(await listOciTags(privateRepo, 'app', PRIVATE, TRANSPORT)).toEqual(['1.0.0', '1.1.0+build.1', '2.0.0']);
    const error = await listOciTags(privateRepo, 'app', undefined, TRANSPORT).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(ChartAuthError);
    expect((error as Error).message).toContain("the registry's token service asks for credentials (HTTP 401)");
  });

  it('calls a repository the registry does not know a missing chart', async () => {
    await expect(listOciTags(repo, 'missing', undefined, TRANSPORT)).rejects.toBeInstanceOf(ChartNotFoundError);
  });
});
