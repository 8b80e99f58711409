// A commit's files from GitHub: the revision resolved to a sha (one small request unless it
// already is one), then the tarball streamed through tar into a temporary folder. The
// tarball endpoint answers with a redirect to codeload; fetch follows it.

import type { Octokit } from '@octokit/rest';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { gitHubApiError, httpStatus } from '../github/api-error.ts';
import { compareCommits } from '../github/compare.ts';
import { GITHUB_COM, parseGitHubRepoURL, type RemoteRepo } from '../github/repo-url.ts';
import { sourceArchiveKey } from '../storage/source-archive-key.ts';
import { RepositoryNotFoundError, RevisionNotFoundError, SourceTooLargeError } from './errors.ts';
import { extractTar } from './extract.ts';
import { DEFAULT_MAX_BYTES, FULL_SHA, type FetchedSource, type FetchRequest, type SourceFetcher } from './fetcher.ts';
import { AncestryAnswers } from './ancestry-answers.ts';
import type { SharedCopies } from './shared-copies.ts';
import { SingleFlight } from '../runtime/single-flight.ts';
import { TreeCache } from './tree-cache.ts';

export interface GitHubTarballFetcherOptions {
  /** Bound on the download and on its unpacked size. */
  maxBytes?: number;
  /** Bound on the archive's entries; DEFAULT_MAX_ENTRIES unless given. */
  maxEntries?: number;
  cache?: TreeCache;
  /**
   * The web host of the GitHub the client reads (gitHubHost: github.com, or the GitHub
   * Enterprise host); a repoURL on any other host is bad input, never read as the same-named
   * repository here. github.com unless given.
   */
  host?: string;
  /**
   * Commits shared by every worker (the render bucket in AWS): a commit another worker
   * downloaded is read from there, one this fetcher downloads is stored there.
   */
  shared?: SharedCopies;
}

export class GitHubTarballFetcher implements SourceFetcher {
  readonly #octokit: Octokit;
  readonly #maxBytes: number;
  readonly #maxEntries: number | undefined;
  readonly #cache: TreeCache;
  readonly #host: string;
  readonly #shared: SharedCopies | undefined;
  readonly #resolving = new SingleFlight<string>();
  /** Answers of isAncestor by repository and commit pair. */
  readonly #ancestry = new AncestryAnswers();

  constructor(octokit: Octokit, options: GitHubTarballFetcherOptions = {}) {
    this.#octokit = octokit;
    this.#host = options.host ?? GITHUB_COM;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#maxEntries = options.maxEntries;
    this.#cache = options.cache ?? new TreeCache();
    this.#shared = options.shared;
  }

  async fetch({ repoURL, revision }: FetchRequest): Promise<FetchedSource> {
    const repo = parseGitHubRepoURL(repoURL, this.#host);
    const sha = FULL_SHA.test(revision)
      ? revision.toLowerCase()
      : // Repository names are case-insensitive on GitHub; branch and tag names are not.
        await this.#resolving.run(`${repo.host}/${repo.owner}/${repo.repo}`.toLowerCase() + `@${revision}`, () => this.#resolve(repoURL, repo, revision));
    const key = `github:${repo.host}/${repo.owner}/${repo.repo}@${sha}`.toLowerCase();
    return this.#cache.acquire(key, sha, (dir) => this.#download(repoURL, repo, sha, dir));
  }

  async isAncestor(repoURL: string, ancestor: string, descendant: string): Promise<boolean | undefined> {
    const repo = parseGitHubRepoURL(repoURL, this.#host);
    if (!FULL_SHA.test(ancestor) || !FULL_SHA.test(descendant)) return undefined;
    const key = `${repo.host}/${repo.owner}/${repo.repo}@${ancestor}..${descendant}`.toLowerCase();
    return this.#ancestry.answer(key, async () => {
      // Where `ancestor` stands relative to `descendant`: behind it, or the same commit.
      const comparison = await compareCommits(this.#octokit, repo, descendant, ancestor);
      if (comparison === undefined) return undefined;
      return comparison === 'behind' || comparison === 'identical';
    });
  }

  async #resolve(repoURL: string, { owner, repo }: RemoteRepo, revision: string): Promise<string> {
    try {
      // The sha media type answers with the bare sha instead of the commit and its diff.
      const { data } = await this.#octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', {
        owner,
        repo,
        ref: revision,
        headers: { accept: 'application/vnd.github.sha' },
      });
      const answer = data as unknown;
      const sha = typeof answer === 'string' ? answer.trim() : (answer as { sha?: string }).sha;
      if (!sha || !FULL_SHA.test(sha)) throw new RevisionNotFoundError(repoURL, revision, ': GitHub answered without a commit sha');
      return sha.toLowerCase();
    } catch (error) {
      if (error instanceof RevisionNotFoundError) throw error;
      const status = httpStatus(error);
      // GitHub says 422 "No commit found for SHA" for an unknown ref, 404 for an unknown repo.
      if (status === 422) throw new RevisionNotFoundError(repoURL, revision);
      if (status === 404) throw new RepositoryNotFoundError(repoURL, 'not found, or not readable with the configured GitHub credentials');
      throw gitHubApiError(`resolving ${revision} in ${owner}/${repo}`, error);
    }
  }

  async #download(repoURL: string, { host, owner, repo }: RemoteRepo, sha: string, dir: string): Promise<void> {
    const what = `${owner}/${repo}@${sha}`;
    // GitHub's tarball, stored as it came: its top folder is stripped the same way when read back.
    const unpack = (archive: Readable, tap?: (chunk: Buffer) => void) =>
      extractTar(archive, dir, { strip: 1, maxBytes: this.#maxBytes, maxEntries: this.#maxEntries, what, tap });
    const shared = this.#shared;
    const sharedKey = shared ? sourceArchiveKey(`github:${host}/${owner}/${repo}`.toLowerCase(), sha) : '';
    if (shared && (await shared.restore(sharedKey, what, dir, (archive) => unpack(archive)))) return;
    let body: Readable;
    try {
      const response = await this.#octokit.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
        owner,
        repo,
        ref: sha,
        request: { parseSuccessResponseBody: false },
      });
      const length = Number(response.headers['content-length']);
      const stream = response.data as unknown as WebReadableStream<Uint8Array>;
      if (Number.isFinite(length) && length > this.#maxBytes) {
        await stream.cancel();
        throw new SourceTooLargeError(`archive of ${what}`, this.#maxBytes);
      }
      body = Readable.fromWeb(stream);
    } catch (error) {
      if (error instanceof SourceTooLargeError) throw error;
      if (httpStatus(error) === 404)
        throw new RevisionNotFoundError(repoURL, sha, ' (or the repository is not readable with the configured GitHub credentials)');
      throw gitHubApiError(`downloading ${what}`, error);
    }
    const copy = shared?.copy();
    await unpack(body, copy?.tap);
    // Only an archive that unpacked and passed every check is offered to the other workers.
    if (shared && copy) await shared.save(sharedKey, what, copy.bytes());
  }
}
