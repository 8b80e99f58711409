// The commit a branch points at now: one API call on GitHub, one rev-parse locally.

import type { Octokit } from '@octokit/rest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gitHubApiError, httpStatus } from './api-error.ts';
import { BranchNotFoundError, LocalRepoError } from './errors.ts';
import { parseGitHubRepoURL, parseRepoURL, isLocalRepo } from './repo-url.ts';

const run = promisify(execFile);

export interface BranchHeads {
  head(repoURL: string, branch: string): Promise<string>;
}

export class GitHubBranchHeads implements BranchHeads {
  readonly #octokit: Octokit;

  constructor(octokit: Octokit) {
    this.#octokit = octokit;
  }

  async head(repoURL: string, branch: string): Promise<string> {
    const { owner, repo } = parseGitHubRepoURL(repoURL);
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
    try {
      const { stdout } = await run('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { cwd: location.local });
      return stdout.trim();
    } catch (error) {
      // --quiet makes a missing ref exit 1 with nothing on stderr; anything else is the repo.
      const failure = error as { code?: unknown; stderr?: string };
      if (failure.code === 1 && !failure.stderr?.trim()) throw new BranchNotFoundError(repoURL, branch);
      throw new LocalRepoError(`cannot read branch ${branch} of ${location.local}: ${failure.stderr?.trim() || (error as Error).message}`, { cause: error });
    }
  }
}
