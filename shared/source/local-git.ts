// A commit's files from a repository on this machine (local mode): the revision resolved
// with rev-parse, then `git archive` of that commit unpacked into a temporary folder. The
// working tree is never read, so uncommitted edits do not leak into a sync.

import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isLocalRepo, parseRepoURL } from '../github/repo-url.ts';
import { RepositoryNotFoundError, RevisionNotFoundError, SourceFetchError } from './errors.ts';
import { extractTar } from './extract.ts';
import { DEFAULT_MAX_BYTES, type FetchedSource, type FetchRequest, type SourceFetcher } from './fetcher.ts';
import { TreeCache } from './tree-cache.ts';

const run = promisify(execFile);

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
  try {
    const { stdout } = await run('git', ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], { cwd: repoDir });
    return stdout.trim().toLowerCase();
  } catch (error) {
    // --quiet makes an unknown revision exit 1 with nothing on stderr; anything else is the repo.
    const failure = error as { code?: unknown; stderr?: string };
    if (failure.code === 1 && !failure.stderr?.trim()) throw new RevisionNotFoundError(repoURL, revision);
    throw new RepositoryNotFoundError(repoURL, `git cannot read ${repoDir}: ${failure.stderr?.trim() || (error as Error).message}`, { cause: error });
  }
}
