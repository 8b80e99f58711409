// The fields of a payload that reach a job, read one by one: each is checked for the shape
// GitHub sends, and a bad one is refused naming the field, never quoting its value (a forged
// or broken payload may hold anything; a repository URL is named with credentials masked).
import { InvalidRepoURLError } from '../github/errors.ts';
import { GITHUB_COM, parseGitHubRepoURL } from '../github/repo-url.ts';
import { BadDeliveryError } from './errors.ts';

const COMMIT_SHA = /^[0-9a-f]{40}$/;
// A git ref name as GitHub shows it in payloads: printable, no spaces, bounded (git's own rules are looser, GitHub's limit is 255 bytes).
const REF_NAME = /^[\x21-\x7e]{1,255}$/;

/** The value at `path` of `payload`, or undefined when any step is missing. */
export function field(payload: unknown, path: string): unknown {
  let value = payload;
  for (const key of path.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function commitSha(payload: unknown, path: string, event: string): string {
  const value = field(payload, path);
  if (typeof value !== 'string' || !COMMIT_SHA.test(value)) throw new BadDeliveryError(`${event} payload "${path}" is not a commit sha (40 hex digits)`);
  return value;
}

export function positiveInteger(payload: unknown, path: string, event: string): number {
  const value = field(payload, path);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new BadDeliveryError(`${event} payload "${path}" is not a positive integer`);
  return value;
}

export function refName(payload: unknown, path: string, event: string): string {
  const value = field(payload, path);
  if (typeof value !== 'string' || !REF_NAME.test(value)) throw new BadDeliveryError(`${event} payload "${path}" is not a branch name`);
  return value;
}

export function text(payload: unknown, path: string, event: string): string {
  const value = field(payload, path);
  if (typeof value !== 'string') throw new BadDeliveryError(`${event} payload has no "${path}"`);
  return value;
}

/**
 * The repository's clone URL, which must be a repository on the GitHub this installation reads
 * (`host`): a payload naming another host is refused, never read as a same-named repository here.
 */
export function repositoryURL(payload: unknown, path: string, event: string, host: string = GITHUB_COM): string {
  const value = field(payload, path);
  if (typeof value !== 'string') throw new BadDeliveryError(`${event} payload has no "${path}"`);
  try {
    parseGitHubRepoURL(value, host);
  } catch (error) {
    if (error instanceof InvalidRepoURLError) throw new BadDeliveryError(`${event} payload "${path}": ${error.message}`, 400, { cause: error });
    throw error;
  }
  return value;
}
