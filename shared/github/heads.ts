// The commit a branch points at now: one API call on GitHub, one rev-parse locally.

import type { Octokit } from '@octokit/rest';
import { gitHubApiError, httpStatus } from './api-error.ts';
import { BranchNotFoundError, LocalRepoError } from './errors.ts';
import { GITHUB_COM, parseGitHubRepoURL, parseRepoURL, isLocalRepo } from './repo-url.ts';
import { gitFailure, revParseCommit } from './rev-parse.ts';

export interface BranchHeads {
  head(repoURL: string, branch: string): Promise<string>;
}

export class GitHubBranchHeads implements BranchHeads {
  readonly #octokit: Octokit;
  readonly #host: string;

  /** `host`: the GitHub the client reads (gitHubHost); repoURLs elsewhere are refused. */
  constructor(octokit: Octokit, options: { host?: string } = {}) {
    this.#octokit = octokit;
    this.#host = options.host ?? GITHUB_COM;
  }

  async head(repoURL: string, branch: string): Promise<string> {
    const { owner, repo } = parseGitHubRepoURL(repoURL, this.#host);
    try {
      const { data } = await this.#octokit.rest.repos.getBranch({ owner, repo, branch });
      return data.commit.sha;
    } catch (error) {
      if (httpStatus(error) === 404) throw new BranchNotFoundError(repoURL, branch);
      throw gitHubApiError(`reading branch ${branch} of ${owner}/${repo}`, error);
    }
  }
}

export class LocalGitBranchHeads implements BranchHeads {
  async head(repoURL: string, branch: string): Promise<string> {
    const location = parseRepoURL(repoURL);
    if (!isLocalRepo(location)) throw new LocalRepoError(`${repoURL} is not a local repository`);
    // A leading dash would be read by git as an option.
    if (branch.startsWith('-')) throw new BranchNotFoundError(repoURL, branch);
    const sha = await revParseCommit(location.local, `refs/heads/${branch}`).catch((error: unknown) => {
      throw new LocalRepoError(`cannot read branch ${branch} of ${location.local}: ${gitFailure(error)}`, { cause: error });
    });
    if (sha === undefined) throw new BranchNotFoundError(repoURL, branch);
    return sha;
  }
}
