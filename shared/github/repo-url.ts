// Repository URLs in the forms people write them: https, scp-like ssh, ssh://, file:// and
// plain paths. Remote ones become { host, owner, repo }; local ones { local: path }.
//
// This is the one place a repoURL is read, and it reads only canonical spellings: a URL parser
// (WHATWG's, git's, GitHub's) resolves `..`, `%2e%2e`, `%2F`, backslashes, tabs and newlines
// its own way, so a URL that a project's `https://github.com/team-a/*` seems to allow
// (`https://github.com/team-a/../team-b/x`) could name another team's repository once fetched.
// Such spellings are refused rather than resolved: dot segments, percent-escapes in remote URLs,
// backslashes, whitespace and control characters, userinfo (a password anywhere; any user in
// https URLs: the scp-like `git@host:` and `ssh://git@host/` users stay), query and fragment.

import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidRepoURLError } from './errors.ts';

export interface RemoteRepo {
  host: string;
  owner: string;
  repo: string;
}

export interface LocalRepo {
  local: string;
}

export type RepoLocation = RemoteRepo | LocalRepo;

/** The web host of github.com's repositories. */
export const GITHUB_COM = 'github.com';

// user@host:owner/repo — the colon comes before any slash, which tells it from a path.
const SCP_LIKE = /^(?:([^@/\s]+)@)?([^:/\s]+):(?!\/\/)(.+)$/;
const URL_LIKE = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)(.*)$/i;
const REMOTE_SCHEMES = ['https', 'http', 'ssh', 'git', 'git+ssh'];
// Schemes whose URLs name a login user (`ssh://git@github.com/o/r`); elsewhere a user is a credential.
const USER_SCHEMES = ['ssh', 'git+ssh'];
// GitHub owners and repositories: letters, digits, `-`, `_` and `.`; nothing that needs escaping.
const NAME = /^[A-Za-z0-9_.-]+$/;
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\s\u0000-\u001f\u007f\\]/;

export function parseRepoURL(url: string): RepoLocation {
  const text = url.trim();
  if (text === '') throw new InvalidRepoURLError(url, 'empty');
  if (UNSAFE_CHARACTERS.test(text)) throw new InvalidRepoURLError(url, 'contains a backslash, whitespace or a control character');
  if (/^file:/i.test(text)) return fromFileURL(url, text);
  const asURL = URL_LIKE.exec(text);
  if (asURL) return fromURL(url, asURL[1].toLowerCase(), asURL[2], asURL[3]);
  if (text === '~' || text.startsWith('~/')) return { local: resolve(homedir(), text.slice(2)) };
  if (text.startsWith('/') || text.startsWith('.')) return { local: resolve(text) };
  const scp = SCP_LIKE.exec(text);
  if (scp) {
    if (scp[1]?.includes(':'))
      throw new InvalidRepoURLError(url, 'carries a password (user:password@); put credentials in the GitHub secret, never in a repoURL');
    return remote(url, scp[2], scp[3]);
  }
  return { local: resolve(text) };
}

export function isLocalRepo(location: RepoLocation): location is LocalRepo {
  return 'local' in location;
}

/** `owner/repo`, for messages and cache keys. */
export function repoSlug(location: RemoteRepo): string {
  return `${location.owner}/${location.repo}`;
}

/**
 * One key per repository, whichever way its URL is written: https with or without `.git`,
 * scp-like `git@host:o/r.git`, `ssh://git@host/o/r`, in any letter case (GitHub names are
 * case-insensitive); `file://` URLs and plain paths become the absolute path. A URL that is not
 * a canonical repository URL keys as its own spelling only: it equals no repository but itself.
 */
export function repoKey(url: string): string {
  try {
    const location = parseRepoURL(url);
    if (isLocalRepo(location)) return `file:${location.local}`;
    return `${location.host}/${repoSlug(location)}`.toLowerCase();
  } catch {
    return `invalid:${url.trim()}`;
  }
}

export function sameRepo(a: string, b: string): boolean {
  return repoKey(a) === repoKey(b);
}

/**
 * A repository on the GitHub that `host` names (github.com, or a GitHub Enterprise host), or an
 * InvalidRepoURLError saying why the URL is not one. The host is part of the identity: a
 * repository elsewhere must never be read as the same-named one on GitHub.
 */
export function parseGitHubRepoURL(url: string, host: string = GITHUB_COM): RemoteRepo {
  const location = parseRepoURL(url);
  if (isLocalRepo(location)) throw new InvalidRepoURLError(url, 'a local path, not a GitHub repository');
  if (location.host !== host.toLowerCase()) {
    throw new InvalidRepoURLError(
      url,
      `host ${location.host} is not the GitHub host this installation reads (${host.toLowerCase()}); only repositories on it can be fetched`,
    );
  }
  return location;
}

function fromFileURL(original: string, text: string): LocalRepo {
  if (/[?#]/.test(text)) throw new InvalidRepoURLError(original, 'has a query or fragment');
  // The WHATWG parser folds `..`, `%2e%2e` and `.%2E` segments away: refuse them all.
  for (const segment of text.replace(/^file:(\/\/[^/]*)?/i, '').split('/')) {
    if (isDotSegment(safeDecode(segment))) throw new InvalidRepoURLError(original, 'has a "." or ".." path segment');
  }
  if (/%(2f|5c)/i.test(text)) throw new InvalidRepoURLError(original, 'has an encoded path separator (%2F or %5C)');
  try {
    return { local: fileURLToPath(text) };
  } catch (error) {
    throw new InvalidRepoURLError(original, `not a valid file URL: ${(error as Error).message}`);
  }
}

function fromURL(original: string, scheme: string, authority: string, path: string): RemoteRepo {
  if (!REMOTE_SCHEMES.includes(scheme)) throw new InvalidRepoURLError(original, `unsupported scheme "${scheme}:"`);
  if (/[?#]/.test(authority + path)) throw new InvalidRepoURLError(original, 'has a query or fragment');
  if (authority.includes('%') || path.includes('%')) {
    throw new InvalidRepoURLError(original, 'has a percent-encoded character (GitHub owner and repository names never need one)');
  }
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  if (userinfo !== undefined) {
    if (userinfo.includes(':') || !USER_SCHEMES.includes(scheme)) {
      throw new InvalidRepoURLError(original, 'carries credentials (user@ or user:password@); put them in the GitHub secret, never in a repoURL');
    }
  }
  let parsed: URL;
  try {
    parsed = new URL(`${scheme}://${authority}${path}`);
  } catch {
    throw new InvalidRepoURLError(original, 'not a valid URL');
  }
  if (parsed.hostname === '') throw new InvalidRepoURLError(original, 'has no host');
  return remote(original, parsed.hostname, path);
}

/** `path` as written (never decoded or resolved): exactly `owner/repo`, `.git` optional. */
function remote(original: string, host: string, path: string): RemoteRepo {
  const segments = path.replace(/^\//, '').replace(/\/$/, '').split('/');
  if (segments.some(isDotSegment)) throw new InvalidRepoURLError(original, 'has a "." or ".." path segment');
  if (segments.length !== 2 || segments.some((segment) => segment === '')) {
    throw new InvalidRepoURLError(original, 'expected <host>/<owner>/<repo>');
  }
  const owner = segments[0];
  const repo = segments[1].replace(/\.git$/i, '');
  if (!NAME.test(owner) || !NAME.test(repo) || isDotSegment(repo)) {
    throw new InvalidRepoURLError(original, 'owner and repository may hold only letters, digits, "-", "_" and "."');
  }
  return { host: host.toLowerCase(), owner, repo };
}

function isDotSegment(segment: string): boolean {
  return segment === '.' || segment === '..';
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
