// An authenticated Octokit, with a personal/installation token or as a GitHub App
// installation (octokit exchanges the app's JWT for installation tokens and renews them).

import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { GITHUB_COM } from './repo-url.ts';

export type GitHubAuth = { token: string } | { appId: string; privateKey: string; installationId: string };

export interface GitHubClientOptions {
  /** API root; tests point it at a local double, GitHub Enterprise at https://<host>/api/v3. */
  baseUrl?: string;
}

// Octokit's request log would print failures the caller already receives as errors; results,
// not logs. Deprecation warnings still reach the console.
const quietLog = {
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: () => {},
};

/**
 * The web host whose repositories an API root serves: github.com for api.github.com (or no
 * root given), `<host>` for GitHub Enterprise Server's `https://<host>/api/v3`. Any other root
 * (a test double) serves github.com's. Only repoURLs on this host are read through the client.
 */
export function gitHubHost(baseUrl?: string): string {
  if (!baseUrl) return GITHUB_COM;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return GITHUB_COM;
  }
  if (url.hostname.toLowerCase() === 'api.github.com') return GITHUB_COM;
  return /^\/api\/v3\/?$/.test(url.pathname) ? url.hostname.toLowerCase() : GITHUB_COM;
}

export function createGitHubClient(auth: GitHubAuth, options: GitHubClientOptions = {}): Octokit {
  const common = { userAgent: 'driftless', log: quietLog, ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}) };
  if ('token' in auth) return new Octokit({ ...common, auth: auth.token });
  return new Octokit({
    ...common,
    authStrategy: createAppAuth,
    auth: { appId: auth.appId, privateKey: auth.privateKey, installationId: auth.installationId },
  });
}
