// One fetcher for every repoURL: local paths and file:// URLs through git, the rest through
// GitHub. Local mode without a GitHub token simply has no GitHub fetcher. Only local mode has
// a local fetcher at all: anywhere else a repoURL naming a folder would read the worker's
// own disk, so there it is bad input, refused before git runs.

import { isLocalRepo, parseRepoURL } from '../github/repo-url.ts';
import { LocalRepoNotAllowedError, RepositoryNotFoundError } from './errors.ts';
import type { FetchedSource, FetchRequest, SourceFetcher } from './fetcher.ts';

export interface SourceFetchers {
  github?: SourceFetcher;
  /** Given only in local mode (local/start.ts), where the repositories are the user's own. */
  local?: SourceFetcher;
}

export class RoutingFetcher implements SourceFetcher {
  readonly #fetchers: SourceFetchers;

  constructor(fetchers: SourceFetchers) {
    this.#fetchers = fetchers;
  }

  async fetch(request: FetchRequest): Promise<FetchedSource> {
    return this.#fetcherFor(request.repoURL).fetch(request);
  }

  async isAncestor(repoURL: string, ancestor: string, descendant: string): Promise<boolean | undefined> {
    const fetcher = this.#fetcherFor(repoURL);
    return fetcher.isAncestor ? fetcher.isAncestor(repoURL, ancestor, descendant) : undefined;
  }

  #fetcherFor(repoURL: string): SourceFetcher {
    const local = isLocalRepo(parseRepoURL(repoURL));
    const fetcher = local ? this.#fetchers.local : this.#fetchers.github;
    if (!fetcher) {
      if (local) throw new LocalRepoNotAllowedError(repoURL);
      throw new RepositoryNotFoundError(repoURL, 'no GitHub credentials are configured');
    }
    return fetcher;
  }
}
