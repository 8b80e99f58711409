// An authenticated Octokit, with a personal/installation token or as a GitHub App
// installation (octokit exchanges the app's JWT for installation tokens and renews them).

import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';

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

export function createGitHubClient(auth: GitHubAuth, options: GitHubClientOptions = {}): Octokit {
  const common = { userAgent: 'driftless', log: quietLog, ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}) };
  if ('token' in auth) return new Octokit({ ...common, auth: auth.token });
  return new Octokit({
    ...common,
    authStrategy: createAppAuth,
    auth: { appId: auth.appId, privateKey: auth.privateKey, installationId: auth.installationId },
  });
}
