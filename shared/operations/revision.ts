// A branch, tag or short sha → the full commit sha, the way the worker will fetch it:
// GitHub's API (with the stack's GitHub secret when there is one) or git for local repos.
import { Octokit } from '@octokit/rest';
import type { AppSpec } from '../config/types.ts';
import { BranchNotFoundError } from '../github/errors.ts';
import { GitHubBranchHeads, LocalGitBranchHeads } from '../github/heads.ts';
import { isLocalRepo, parseGitHubRepoURL, parseRepoURL } from '../github/repo-url.ts';
import { revParseCommit } from '../github/rev-parse.ts';
import { gitHub, gitHubHostOf, loadGitHubSecret, type Environment } from '../runtime/environment.ts';
import { FULL_SHA } from '../source/fetcher.ts';
import { NotFoundError } from './errors.ts';

export class RevisionResolver {
  readonly #env: Environment;
  #octokit: Promise<Octokit> | undefined;

  constructor(env: Environment) {
    this.#env = env;
  }

  /** The commit the app's targetRevision (its branch, usually) names now. */
  head(source: AppSpec['source']): Promise<string> {
    return this.resolve(source.repoURL, source.targetRevision);
  }

  /** The commit `revision` names in `repoURL` now. */
  async resolve(repoURL: string, revision: string): Promise<string> {
    if (FULL_SHA.test(revision)) return revision.toLowerCase();
    const branch = branchName(revision);
    const location = parseRepoURL(repoURL);
    if (isLocalRepo(location)) {
      if (branch) {
        try {
          return await new LocalGitBranchHeads().head(repoURL, branch);
        } catch (error) {
          if (!(error instanceof BranchNotFoundError)) throw error;
        }
      }
      return localRevParse(repoURL, location.local, revision);
    }
    const octokit = await this.#client();
    if (branch) {
      try {
        return await new GitHubBranchHeads(octokit, { host: gitHubHostOf(this.#env) }).head(repoURL, branch);
      } catch (error) {
        if (!(error instanceof BranchNotFoundError)) throw error;
      }
    }
    // Tags, HEAD and short shas: the commits endpoint resolves any ref.
    const { owner, repo } = parseGitHubRepoURL(repoURL, gitHubHostOf(this.#env));
    try {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', {
        owner,
        repo,
        ref: revision,
        headers: { accept: 'application/vnd.github.sha' },
      });
      const sha = (typeof data === 'string' ? data : ((data as { sha?: string }).sha ?? '')).trim();
      if (FULL_SHA.test(sha)) return sha.toLowerCase();
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== 404 && status !== 422) throw error;
    }
    throw new NotFoundError(`revision "${revision}" not found in ${repoURL}`);
  }

  #client(): Promise<Octokit> {
    this.#octokit ??= (async () => {
      const baseUrl = this.#env.GITHUB_API_URL;
      const anonymous = () => new Octokit({ userAgent: 'driftless', ...(baseUrl ? { baseUrl } : {}) });
      if (!this.#env.GITHUB_SECRET && !this.#env.GITHUB_SECRET_ARN) return anonymous();
      try {
        return gitHub(this.#env, await loadGitHubSecret(this.#env)) ?? anonymous();
      } catch {
        // No readable secret (or the placeholder of a first deploy): public repositories still resolve.
        return anonymous();
      }
    })();
    return this.#octokit;
  }
}

/** The branch a revision names, when it looks like one (not HEAD, a tag ref or hex). */
function branchName(revision: string): string | undefined {
  if (revision.startsWith('refs/heads/')) return revision.slice('refs/heads/'.length);
  if (revision === 'HEAD' || revision.startsWith('refs/') || /^[0-9a-f]{4,40}$/i.test(revision)) return undefined;
  return revision;
}

async function localRevParse(repoURL: string, dir: string, revision: string): Promise<string> {
  const notFound = (cause?: unknown) => new NotFoundError(`revision "${revision}" not found in ${repoURL}`, { cause });
  // A leading dash would be read by git as an option.
  if (revision.startsWith('-')) throw notFound();
  const sha = await revParseCommit(dir, revision).catch((error: unknown) => {
    throw notFound(error);
  });
  if (sha === undefined) throw notFound();
  return sha.toLowerCase();
}
