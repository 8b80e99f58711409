// A commit's files from a repository on this machine (local mode): the revision resolved
// with rev-parse, then `git archive` of that commit unpacked into a temporary folder. The
// working tree is never read, so uncommitted edits do not leak into a sync.

import { spawn } from 'node:child_process';
import { isLocalRepo, parseRepoURL } from '../github/repo-url.ts';
import { gitFailure, revParseCommit } from '../github/rev-parse.ts';
import { RepositoryNotFoundError, RevisionNotFoundError, SourceFetchError } from './errors.ts';
import { extractTar } from './extract.ts';
import { DEFAULT_MAX_BYTES, type FetchedSource, type FetchRequest, type SourceFetcher } from './fetcher.ts';
import { TreeCache } from './tree-cache.ts';

export interface LocalGitFetcherOptions {
  maxBytes?: number;
  cache?: TreeCache;
}

export class LocalGitFetcher implements SourceFetcher {
  readonly #maxBytes: number;
  readonly #cache: TreeCache;

  constructor(options: LocalGitFetcherOptions = {}) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#cache = options.cache ?? new TreeCache();
  }

  async fetch({ repoURL, revision }: FetchRequest): Promise<FetchedSource> {
    const location = parseRepoURL(repoURL);
    if (!isLocalRepo(location)) throw new RepositoryNotFoundError(repoURL, 'not a local repository (a path or file:// URL)');
    const sha = await resolve(repoURL, location.local, revision);
    return this.#cache.acquire(`local:${location.local}@${sha}`, sha, (dir) => this.#archive(location.local, sha, dir));
  }

  async #archive(repoDir: string, sha: string, dir: string): Promise<void> {
    const git = spawn('git', ['archive', '--format=tar', sha], { cwd: repoDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    git.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = new Promise<number | null>((resolve, reject) => {
      git.once('error', reject);
      git.once('close', resolve);
    });
    try {
      await extractTar(git.stdout, dir, { maxBytes: this.#maxBytes, what: `${repoDir}@${sha}` });
    } catch (error) {
      git.kill();
      await exited.catch(() => undefined);
      throw error;
    }
    const code = await exited;
    if (code !== 0) throw new SourceFetchError(`git archive ${sha} in ${repoDir} failed (exit ${code}): ${stderr.trim()}`);
  }
}

async function resolve(repoURL: string, repoDir: string, revision: string): Promise<string> {
  // A leading dash would be read by git as an option.
  if (revision === '' || revision.startsWith('-')) throw new RevisionNotFoundError(repoURL, revision);
  const sha = await revParseCommit(repoDir, revision).catch((error: unknown) => {
    throw new RepositoryNotFoundError(repoURL, `git cannot read ${repoDir}: ${gitFailure(error)}`, { cause: error });
  });
  if (sha === undefined) throw new RevisionNotFoundError(repoURL, revision);
  return sha.toLowerCase();
}
