// Errors of the GitHub layer. Messages name the repository, ref or field concerned and
// never carry a token, private key or webhook secret: they end up in logs and statuses.
import type { BadInputMark } from '../errors/bad-input.ts';

export class GitHubError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GitHubError';
  }
}

/** A repository URL we cannot read (user input). Credentials written into it are masked. */
export class InvalidRepoURLError extends GitHubError implements BadInputMark {
  readonly badInput = true;
  readonly repoURL: string;
  constructor(repoURL: string, reason: string) {
    const shown = maskUserinfo(repoURL);
    super(`repository URL "${shown}": ${reason}`);
    this.name = 'InvalidRepoURLError';
    this.repoURL = shown;
  }
}

// `https://user:token@host/…` and scp-like `user:password@host:…`: the part before `@` may be a token.
function maskUserinfo(url: string): string {
  return url.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@').replace(/^(\s*)[^@/:\s]*:[^@/\s]*@(?=[^/:\s]+:)/, '$1***@');
}

/** The GitHub connection secret is malformed (user input). Never echoes its values. */
export class GitHubSecretError extends GitHubError {
  constructor(message: string) {
    super(message);
    this.name = 'GitHubSecretError';
  }
}

/** GitHub answered with an error, or could not be reached. */
export class GitHubApiError extends GitHubError {
  /** HTTP status; 0 when no answer came. */
  readonly status: number;
  constructor(message: string, status: number, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GitHubApiError';
    this.status = status;
  }
}

/** The branch does not exist in the repository. */
export class BranchNotFoundError extends GitHubError {
  readonly repoURL: string;
  readonly branch: string;
  constructor(repoURL: string, branch: string, options?: ErrorOptions) {
    super(`branch "${branch}" not found in ${repoURL}`, options);
    this.name = 'BranchNotFoundError';
    this.repoURL = repoURL;
    this.branch = branch;
  }
}

/** A local repository that git cannot read (missing folder, not a repository). */
export class LocalRepoError extends GitHubError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalRepoError';
  }
}
