// Commit statuses: one per app@cluster on the synced commit. GitHub in production, the
// console in local mode without a token. Posting the same status twice is the caller's
// concern (the state store keeps the last one); sameStatus tells whether two are equal.

import type { Octokit } from '@octokit/rest';
import { targetId } from '../queue/job.ts';
import type { CheckDetails } from './check-details.ts';
import { gitHubApiError } from './api-error.ts';
import { GITHUB_COM, isLocalRepo, parseGitHubRepoURL, parseRepoURL, repoSlug, sameRepo } from './repo-url.ts';

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export interface CommitStatus {
  repoURL: string;
  sha: string;
  state: CommitState;
  context: string;
  description: string;
  targetUrl?: string;
  /** The target and what its sync did: shown by check runs and deployments, ignored by commit statuses. */
  check?: CheckDetails;
}

export interface CommitStatusPoster {
  post(status: CommitStatus): Promise<void>;
}

/** GitHub rejects longer descriptions with 422. */
export const MAX_DESCRIPTION = 140;

export function statusContext(app: string, cluster: string): string {
  return `driftless/${targetId(app, cluster)}`;
}

/** Cut to GitHub's limit, by code points so an emoji is never split in half. */
export function truncateDescription(description: string): string {
  const chars = Array.from(description);
  return chars.length <= MAX_DESCRIPTION ? description : `${chars.slice(0, MAX_DESCRIPTION - 1).join('')}…`;
}

/** Whether posting `b` after `a` would show nothing new on the commit. */
export function sameStatus(a: CommitStatus, b: CommitStatus): boolean {
  return (
    sameRepo(a.repoURL, b.repoURL) &&
    a.sha.toLowerCase() === b.sha.toLowerCase() &&
    a.state === b.state &&
    a.context === b.context &&
    truncateDescription(a.description) === truncateDescription(b.description) &&
    (a.targetUrl ?? '') === (b.targetUrl ?? '')
  );
}

export class GitHubStatusPoster implements CommitStatusPoster {
  readonly #octokit: Octokit;
  readonly #host: string;

  /** `host`: the GitHub the client reads (gitHubHost); a status for a repository elsewhere is refused, never posted to a same-named one. */
  constructor(octokit: Octokit, options: { host?: string } = {}) {
    this.#octokit = octokit;
    this.#host = options.host ?? GITHUB_COM;
  }

  async post(status: CommitStatus): Promise<void> {
    const { owner, repo } = parseGitHubRepoURL(status.repoURL, this.#host);
    try {
      await this.#octokit.rest.repos.createCommitStatus({
        owner,
        repo,
        sha: status.sha,
        state: status.state,
        context: status.context,
        description: truncateDescription(status.description),
        ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
      });
    } catch (error) {
      throw gitHubApiError(`posting status ${status.context} on ${owner}/${repo}@${status.sha}`, error);
    }
  }
}

/** Anything with write(string): process.stdout, a file stream, a test buffer. */
export interface LineSink {
  write(line: string): unknown;
}

export class ConsoleStatusPoster implements CommitStatusPoster {
  readonly #sink: LineSink;

  constructor(sink: LineSink = process.stdout) {
    this.#sink = sink;
  }

  async post(status: CommitStatus): Promise<void> {
    const where = `${displayRepo(status.repoURL)}@${status.sha.slice(0, 12)}`;
    const link = status.targetUrl ? ` ${status.targetUrl}` : '';
    this.#sink.write(`status ${status.state} ${status.context} ${where}: ${truncateDescription(status.description)}${link}\n`);
  }
}

function displayRepo(repoURL: string): string {
  try {
    const location = parseRepoURL(repoURL);
    return isLocalRepo(location) ? location.local : repoSlug(location);
  } catch {
    return repoURL;
  }
}
