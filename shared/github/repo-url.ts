// Repository URLs in the forms people write them: https, scp-like ssh, ssh://, file:// and
// plain paths. GitHub ones become { host, owner, repo }; local ones { local: path }.

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

// user@host:owner/repo — the colon comes before any slash, which tells it from a path.
const SCP_LIKE = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/;

export function parseRepoURL(url: string): RepoLocation {
  const text = url.trim();
  if (text === '') throw new InvalidRepoURLError(url, 'empty');
  if (/^file:/i.test(text)) return { local: fileURLToPath(text) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return fromURL(url, text);
  if (text === '~' || text.startsWith('~/')) return { local: resolve(homedir(), text.slice(2)) };
  if (text.startsWith('/') || text.startsWith('.')) return { local: resolve(text) };
  const scp = SCP_LIKE.exec(text);
  if (scp) return remote(url, scp[1], scp[2]);
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
 * case-insensitive); `file://` URLs and plain paths become the absolute path.
 */
export function repoKey(url: string): string {
  try {
    const location = parseRepoURL(url);
    if (isLocalRepo(location)) return `file:${location.local}`;
    return `${location.host}/${repoSlug(location)}`.toLowerCase();
  } catch {
    // Not GitHub-shaped (a GitLab subgroup, say): still compare it loosely rather than never.
    return url
      .trim()
      .toLowerCase()
      .replace(/^[a-z+]+:\/\//, '')
      .replace(/^[^@/]+@/, '')
      .replace(':', '/')
      .replace(/\/+$/, '')
      .replace(/\.git$/, '');
  }
}

export function sameRepo(a: string, b: string): boolean {
  return repoKey(a) === repoKey(b);
}

/** A GitHub repository, or an InvalidRepoURLError saying why the URL is not one. */
export function parseGitHubRepoURL(url: string): RemoteRepo {
  const location = parseRepoURL(url);
  if (isLocalRepo(location)) throw new InvalidRepoURLError(url, 'a local path, not a GitHub repository');
  return location;
}

function fromURL(original: string, text: string): RemoteRepo {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new InvalidRepoURLError(original, 'not a valid URL');
  }
  if (!['https:', 'http:', 'ssh:', 'git:', 'git+ssh:'].includes(parsed.protocol)) {
    throw new InvalidRepoURLError(original, `unsupported scheme "${parsed.protocol}"`);
  }
  return remote(original, parsed.hostname, decodeURIComponent(parsed.pathname));
}

function remote(original: string, host: string, path: string): RemoteRepo {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  if (parts.length !== 2 || parts.some((part) => part === '')) {
    throw new InvalidRepoURLError(original, 'expected <host>/<owner>/<repo>');
  }
  const owner = parts[0];
  const repo = parts[1].replace(/\.git$/i, '');
  if (repo === '') throw new InvalidRepoURLError(original, 'expected <host>/<owner>/<repo>');
  return { host: host.toLowerCase(), owner, repo };
}
