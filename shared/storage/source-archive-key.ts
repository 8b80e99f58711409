// Names the shared copy of one commit of one repository. The repository enters only as a
// hash of its identity and the commit only as a validated hex sha, so nothing read from Git
// or from a repoURL becomes a path in the bucket.
import { createHash } from 'node:crypto';
import { StorageError } from './errors.ts';

export const SOURCE_PREFIX = 'sources/';

/** Bump when what is stored changes shape, so old objects are not read as new ones. */
const FORMAT = 'v1';
const FULL_SHA = /^[0-9a-f]{40}$/i;

/**
 * `sources/v1/<sha256 of the repository, 32 hex>/<sha>.tar.gz`. `repository` is the fetcher's
 * own identity of it (e.g. `github:github.com/acme/apps`, lower case), the same for every
 * spelling of its URL.
 */
export function sourceArchiveKey(repository: string, sha: string): string {
  if (!FULL_SHA.test(sha)) throw new StorageError(`shared source archive: "${sha}" is not a full commit sha`);
  const repo = createHash('sha256').update(repository).digest('hex').slice(0, 32);
  return `${SOURCE_PREFIX}${FORMAT}/${repo}/${sha.toLowerCase()}.tar.gz`;
}
