// The tags of a chart in an OCI registry (`GET /v2/<name>/tags/list`, the distribution spec),
// to resolve a version constraint as Argo CD does for OCI charts. Registries ask for
// credentials in one of two ways: Basic (a registry with htpasswd), or a Bearer token fetched
// from the realm their WWW-Authenticate challenge names (ghcr.io, public.ecr.aws, Docker Hub —
// anonymous tokens for public repositories). Helm writes `+` in versions as `_` in tags (`+`
// is not allowed there); tags are read back with `+`, as helm and Argo CD do.
import { isLoopbackHost } from './address-guard.ts';
import { basicAuthorization, type ChartCredentials } from './credentials.ts';
import { ChartAuthError, ChartNotFoundError, ChartRepositoryContentError, ChartRepositoryUnreachableError } from './errors.ts';
import { httpGet, type HttpAnswer, type HttpGetOptions } from './http.ts';
import type { OciRepoLocation } from './repo-url.ts';

const MAX_PAGES = 20;
const MAX_TAGS_BYTES = 4 * 1024 * 1024;

type Transport = Omit<HttpGetOptions, 'what' | 'repoURL' | 'authorization' | 'accept' | 'maxBytes'>;

export async function listOciTags(repo: OciRepoLocation, chart: string, credentials: ChartCredentials | undefined, transport: Transport): Promise<string[]> {
  const name = repo.path ? `${repo.path}/${chart}` : chart;
  const origin = `${repo.plainHttp ? 'http' : 'https'}://${repo.registry}`;
  const what = `tags of ${repo.key}/${chart}`;
  const options = { ...transport, what, repoURL: repo.key, maxBytes: MAX_TAGS_BYTES, accept: 'application/json' };
  let url: URL | undefined = new URL(`/v2/${name}/tags/list`, origin);
  let authorization: string | undefined;
  const tags: string[] = [];
  for (let page = 0; url && page < MAX_PAGES; page++) {
    let answer: HttpAnswer = await httpGet(url, { ...options, authorization });
    if (answer.status === 401 && authorization === undefined) {
      authorization = await authorize(answer, name, credentials, options, repo);
      answer = await httpGet(url, { ...options, authorization });
    }
    if (answer.status === 401 || answer.status === 403) {
      throw new ChartAuthError(
        repo.key,
        credentials
          ? `the registry refused the configured credentials for ${name} (HTTP ${answer.status})`
          : `the registry asks for credentials for ${name} (HTTP ${answer.status}) and none are configured`,
      );
    }
    if (answer.status === 404) throw new ChartNotFoundError(repo.key, chart, ` (the registry has no repository ${name})`);
    if (answer.status < 200 || answer.status >= 300) throw new ChartRepositoryUnreachableError(repo.key, `${what} answered HTTP ${answer.status}`);
    tags.push(...readTags(answer, what));
    url = nextPage(answer, url);
  }
  return tags.map((tag) => tag.replaceAll('_', '+'));
}

async function authorize(
  challenge: HttpAnswer,
  name: string,
  credentials: ChartCredentials | undefined,
  options: HttpGetOptions,
  repo: OciRepoLocation,
): Promise<string> {
  const header = challenge.headers.get('www-authenticate') ?? '';
  if (/^basic\b/i.test(header)) {
    if (!credentials) throw new ChartAuthError(repo.key, `the registry asks for credentials for ${name} and none are configured`);
    return basicAuthorization(credentials);
  }
  if (!/^bearer\b/i.test(header))
    throw new ChartRepositoryContentError(`${options.what}: the registry answered 401 without a usable WWW-Authenticate challenge`);
  const parameters = challengeParameters(header);
  if (!parameters.realm) throw new ChartRepositoryContentError(`${options.what}: the registry's Bearer challenge names no realm`);
  let realm: URL;
  try {
    realm = new URL(parameters.realm);
  } catch {
    throw new ChartRepositoryContentError(`${options.what}: the registry's token realm is not a URL`);
  }
  // Credentials go to the realm: over https only (http for loopback where it is allowed), never with userinfo.
  const plainAllowed = realm.protocol === 'http:' && options.policy.allowLoopback && isLoopbackHost(realm.hostname);
  if ((realm.protocol !== 'https:' && !plainAllowed) || realm.username || realm.password) {
    throw new ChartRepositoryContentError(`${options.what}: the registry's token realm ${realm.protocol}//${realm.host} is not an https URL`);
  }
  if (parameters.service) realm.searchParams.set('service', parameters.service);
  realm.searchParams.set('scope', `repository:${name}:pull`);
  const answer = await httpGet(realm, {
    ...options,
    what: `token for ${options.what}`,
    authorization: credentials ? basicAuthorization(credentials) : undefined,
  });
  if (answer.status === 401 || answer.status === 403) {
    throw new ChartAuthError(
      repo.key,
      credentials
        ? `the registry's token service refused the configured credentials (HTTP ${answer.status})`
        : `the registry's token service asks for credentials (HTTP ${answer.status})`,
    );
  }
  if (answer.status < 200 || answer.status >= 300) throw new ChartRepositoryUnreachableError(repo.key, `token service answered HTTP ${answer.status}`);
  const body = parseJson(answer, `token for ${options.what}`) as { token?: unknown; access_token?: unknown };
  const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
  if (!token) throw new ChartRepositoryContentError(`token for ${options.what}: the answer holds no token`);
  return `Bearer ${token}`;
}

/** `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="..."` → its parameters. */
function challengeParameters(header: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const match of header.matchAll(/(\w+)="([^"]*)"/g)) parameters[match[1].toLowerCase()] = match[2];
  return parameters;
}

function readTags(answer: HttpAnswer, what: string): string[] {
  const body = parseJson(answer, what) as { tags?: unknown };
  if (body.tags === null || body.tags === undefined) return [];
  if (!Array.isArray(body.tags)) throw new ChartRepositoryContentError(`${what}: "tags" is not a list`);
  return body.tags.filter((tag): tag is string => typeof tag === 'string');
}

function parseJson(answer: HttpAnswer, what: string): unknown {
  try {
    const value: unknown = JSON.parse(answer.body.toString('utf8'));
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    return value;
  } catch {
    throw new ChartRepositoryContentError(`${what}: the registry's answer is not a JSON object`);
  }
}

/** The `Link: <...>; rel="next"` of a paginated tags list, on the same origin only. */
function nextPage(answer: HttpAnswer, current: URL): URL | undefined {
  const link = answer.headers.get('link');
  const target = link ? /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link)?.[1] : undefined;
  if (!target) return undefined;
  const next = new URL(target, current);
  return next.origin === current.origin ? next : undefined;
}
