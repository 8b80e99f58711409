// Turns whatever octokit threw into a GitHubApiError that says what we were doing.
//
// The octokit error is deliberately not kept as `cause`: it carries the request options
// and response headers, and although octokit redacts the Authorization header, anything
// attached here ends up in structured logs, so only the status and GitHub's own message
// are copied over.

import { GitHubApiError } from './errors.ts';

export function httpStatus(error: unknown): number {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : 0;
}

export function gitHubApiError(what: string, error: unknown): GitHubApiError {
  const status = httpStatus(error);
  const message = error instanceof Error ? error.message : String(error);
  const detail = unreachable(error, status) ? `cannot reach GitHub: ${message}` : `HTTP ${status}: ${message}`;
  return new GitHubApiError(`${what}: ${detail}`, status);
}

// octokit reports a failed fetch as status 500 without a response.
function unreachable(error: unknown, status: number): boolean {
  return status === 0 || (status === 500 && !(error as { response?: unknown }).response);
}
