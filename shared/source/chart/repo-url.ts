// Chart repository URLs, read strictly: an Application's repoURL reaches a URL we request and a
// helm command line, so only plain spellings are accepted (the canonical rules of Git
// repository URLs in shared/github/repo-url.ts name owner/repo and do not fit here).
// - A Helm repository: `https://host[:port][/path]` (http only for loopback, where local mode and
//   tests allow it).
// - An OCI registry: `oci://host[:port]/path`, or the same without `oci://` (`ghcr.io/org/charts`,
//   `public.ecr.aws/org`), as Argo CD takes both.
// Refused everywhere: userinfo (credentials belong in the repository secret), query, fragment,
// percent-escapes, backslashes, whitespace and control characters, and `.`/`..` path segments.
import { InvalidChartRequestError } from './errors.ts';
import { isLoopbackHost, type AddressPolicy } from './address-guard.ts';

export interface HelmRepoLocation {
  kind: 'helm';
  /** The repository's base URL with a trailing slash: `index.yaml` and relative chart URLs resolve against it. */
  base: URL;
  /** The identity of the repository in cache keys and credential matching: `https://host/path`, lower-case host, no trailing slash. */
  key: string;
}

export interface OciRepoLocation {
  kind: 'oci';
  /** `host[:port]`, lower case. */
  registry: string;
  /** The repository path inside the registry, without slashes at either end (may be empty). */
  path: string;
  /** http instead of https: only for a registry on loopback where loopback is allowed. */
  plainHttp: boolean;
  /** `oci://host/path`. */
  key: string;
}

export type ChartRepoLocation = HelmRepoLocation | OciRepoLocation;

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\s\u0000-\u001f\u007f\\%]/;
// A registry host as a bare repoURL starts with: a name with a dot or a port, or localhost.
const BARE_REGISTRY = /^([a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?|localhost(?::\d+)?|\[[0-9a-f:.]+\](?::\d+)?|[a-z0-9-]+:\d+)(\/.*)?$/i;
const PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;

export function parseChartRepoURL(repoURL: string, policy: AddressPolicy): ChartRepoLocation {
  const text = repoURL.trim();
  const invalid = (reason: string): InvalidChartRequestError => new InvalidChartRequestError(`chart repoURL "${repoURL}" ${reason}`);
  if (text === '') throw invalid('is empty');
  if (UNSAFE.test(text)) throw invalid('contains whitespace, a control character, a backslash or a percent-escape');
  if (/[?#]/.test(text)) throw invalid('has a query or fragment');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (!BARE_REGISTRY.test(text)) throw invalid('is neither an http(s) Helm repository URL nor an OCI registry (oci://host/path or host/path)');
    return oci(`oci://${text}`, invalid, policy);
  }
  if (scheme === 'oci') return oci(text, invalid, policy);
  if (scheme !== 'https' && scheme !== 'http')
    throw invalid(`uses "${scheme}://"; a chart repository is https:// (a Helm repository) or oci:// (an OCI registry)`);
  const url = parse(text, invalid);
  checkPath(rawPath(text), invalid);
  if (scheme === 'http' && !(policy.allowLoopback && isLoopbackHost(url.hostname))) {
    throw invalid('uses http://; chart repositories are read over https (http only for a repository on loopback in local mode)');
  }
  const path = url.pathname.replace(/\/+$/, '');
  const base = new URL(`${url.protocol}//${url.host}${path}/`);
  return { kind: 'helm', base, key: `${url.protocol}//${url.host}${path}` };
}

/**
 * A chart archive's URL as index.yaml lists it, absolute or relative to the repository, held
 * to the same rules as a repoURL (its host is checked by the caller like the repository's).
 */
export function chartArchiveURL(repo: HelmRepoLocation, listed: string, policy: AddressPolicy): URL {
  const invalid = (reason: string): InvalidChartRequestError =>
    new InvalidChartRequestError(`chart archive URL "${listed}" in ${repo.key}/index.yaml ${reason}`);
  if (UNSAFE.test(listed.replace(/%2B/gi, '+'))) throw invalid('contains whitespace, a control character, a backslash or a percent-escape');
  let url: URL;
  try {
    url = new URL(listed, repo.base);
  } catch {
    throw invalid('is not a URL');
  }
  if (url.username || url.password) throw invalid('carries credentials');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowLoopback && isLoopbackHost(url.hostname))) {
    throw invalid(`is ${url.protocol}//; chart archives are downloaded over https`);
  }
  return url;
}

function oci(text: string, invalid: (reason: string) => InvalidChartRequestError, policy: AddressPolicy): OciRepoLocation {
  // `oci://` is not a scheme the URL parser knows: read the authority as https's.
  const url = parse(`https://${text.slice('oci://'.length)}`, invalid);
  checkPath(rawPath(text), invalid);
  const path = url.pathname.replace(/^\/+|\/+$/g, '');
  const registry = url.host.toLowerCase();
  const plainHttp = policy.allowLoopback && isLoopbackHost(url.hostname);
  return { kind: 'oci', registry, path, plainHttp, key: `oci://${registry}${path ? `/${path}` : ''}` };
}

function parse(text: string, invalid: (reason: string) => InvalidChartRequestError): URL {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)/i.exec(text)?.[1] ?? '';
  if (authority.includes('@')) throw invalid('carries credentials (user@ or user:password@); put them in the chart repository secret, never in a repoURL');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('is not a valid URL');
  }
  if (url.hostname === '') throw invalid('has no host');
  return url;
}

/** The path as written: the URL parser has already resolved `..` away in `pathname`. */
function rawPath(text: string): string {
  return text.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
}

function checkPath(path: string, invalid: (reason: string) => InvalidChartRequestError): void {
  for (const segment of path.split('/').filter((part) => part !== '')) {
    if (segment === '.' || segment === '..') throw invalid('has a "." or ".." path segment');
    if (!PATH_SEGMENT.test(segment)) throw invalid(`has a path segment "${segment}" with characters a repository path never needs`);
  }
}
