// A commit's files from a repository on this machine (local mode): the revision resolved
// with rev-parse, then the commit written into a temporary folder by git checkout-index
// (git-checkout.ts), or, for a commit with export attributes, `git archive` unpacked. The
// working tree is never read, so uncommitted edits do not leak into a sync. git runs with a
// hermetic environment and the repository's hooks and filter programs disabled (git.ts).

import { isLocalRepo, parseRepoURL } from '../github/repo-url.ts';
import { gitFailure } from '../github/rev-parse.ts';
import { positionalFromGit } from '../tools/argv.ts';
import { RepositoryNotFoundError, RevisionNotFoundError, SourceFetchError } from './errors.ts';
import { extractTar } from './extract.ts';
import { checkoutCommit } from './git-checkout.ts';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES, FULL_SHA, type FetchedSource, type FetchRequest, type SourceFetcher } from './fetcher.ts';
import { git, spawnGit } from './git.ts';
import { AncestryAnswers } from './ancestry-answers.ts';
import { SingleFlight } from '../runtime/single-flight.ts';
import { TreeCache } from './tree-cache.ts';

export interface LocalGitFetcherOptions {
  maxBytes?: number;
  /** Bound on the archive's entries; DEFAULT_MAX_ENTRIES unless given. */
  maxEntries?: number;
  cache?: TreeCache;
}

export class LocalGitFetcher implements SourceFetcher {
  readonly #maxBytes: number;
  readonly #maxEntries: number | undefined;
  readonly #cache: TreeCache;
  readonly #resolving = new SingleFlight<string>();
  /** Answers of isAncestor by repository and commit pair. */
  readonly #ancestry = new AncestryAnswers();

  constructor(options: LocalGitFetcherOptions = {}) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#maxEntries = options.maxEntries;
    this.#cache = options.cache ?? new TreeCache();
  }

  async fetch({ repoURL, revision }: FetchRequest): Promise<FetchedSource> {
    const location = parseRepoURL(repoURL);
    if (!isLocalRepo(location)) throw new RepositoryNotFoundError(repoURL, 'not a local repository (a path or file:// URL)');
    // A full sha whose tree is already extracted was resolved when it was: no git to run again.
    const known = FULL_SHA.test(revision) && this.#cache.has(treeKey(location.local, revision.toLowerCase())) ? revision.toLowerCase() : undefined;
    // Jobs of one commit starting together (a batch run at once) share one rev-parse.
    const sha = known ?? (await this.#resolving.run(`${location.local}@${revision}`, () => resolve(repoURL, location.local, revision)));
    return this.#cache.acquire(treeKey(location.local, sha), sha, (dir) => this.#write(location.local, sha, dir));
  }

  async isAncestor(repoURL: string, ancestor: string, descendant: string): Promise<boolean | undefined> {
    const location = parseRepoURL(repoURL);
    if (!isLocalRepo(location)) throw new RepositoryNotFoundError(repoURL, 'not a local repository (a path or file:// URL)');
    if (!FULL_SHA.test(ancestor) || !FULL_SHA.test(descendant)) return undefined;
    const key = `${location.local}@${ancestor.toLowerCase()}..${descendant.toLowerCase()}`;
    return this.#ancestry.answer(key, async () => {
      try {
        await git(location.local, ['merge-base', '--is-ancestor', ancestor, descendant]);
        return true;
      } catch (error) {
        // Exit 1: not an ancestor; anything else (128: a commit git does not know) cannot tell.
        if ((error as { code?: unknown }).code === 1) return false;
        return undefined;
      }
    });
  }

  async #write(repoDir: string, sha: string, dir: string): Promise<void> {
    const commit = positionalFromGit(sha, () => new SourceFetchError(`git was given "${sha}", not a commit sha`));
    const what = `${repoDir}@${sha}`;
    if (await checkoutCommit(repoDir, commit, dir, { maxBytes: this.#maxBytes, maxEntries: this.#maxEntries ?? DEFAULT_MAX_ENTRIES, what })) return;
    await this.#archive(repoDir, commit, dir);
  }

  /** `git archive` through tar: what git alone writes for export-ignore and export-subst. */
  async #archive(repoDir: string, sha: string, dir: string): Promise<void> {
    const child = await spawnGit(repoDir, ['archive', '--format=tar', sha]);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    try {
      await extractTar(child.stdout, dir, { maxBytes: this.#maxBytes, maxEntries: this.#maxEntries, what: `${repoDir}@${sha}` });
    } catch (error) {
      child.kill();
      await exited.catch(() => undefined);
      throw error;
    }
    const code = await exited;
    if (code !== 0) throw new SourceFetchError(`git archive ${sha} in ${repoDir} failed (exit ${code}): ${stderr.trim()}`);
  }
}

function treeKey(repoDir: string, sha: string): string {
  return `local:${repoDir}@${sha}`;
}

async function resolve(repoURL: string, repoDir: string, revision: string): Promise<string> {
  if (revision === '') throw new RevisionNotFoundError(repoURL, revision);
  // The revision comes from Git (targetRevision, a push): git must never read it as an option.
  const rev = positionalFromGit(revision, () => new RevisionNotFoundError(repoURL, revision, ': a revision cannot start with "-"'));
  let stdout: string;
  try {
    stdout = await git(repoDir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  } catch (error) {
    // --quiet makes an unknown revision exit 1 with nothing on stderr; anything else is the repo.
    const failure = error as { code?: unknown; stderr?: string };
    if (failure.code === 1 && !failure.stderr?.trim()) throw new RevisionNotFoundError(repoURL, revision);
    throw new RepositoryNotFoundError(repoURL, `git cannot read ${repoDir}: ${gitFailure(error)}`, { cause: error });
  }
  return stdout.trim().toLowerCase();
}
