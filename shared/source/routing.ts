// One fetcher for every repoURL: local paths and file:// URLs through git, the rest through
// GitHub. Local mode without a GitHub token simply has no GitHub fetcher.

import { isLocalRepo, parseRepoURL } from '../github/repo-url.ts';
import { RepositoryNotFoundError } from './errors.ts';
import type { FetchedSource, FetchRequest, SourceFetcher } from './fetcher.ts';

export interface SourceFetchers {
  github?: SourceFetcher;
  local?: SourceFetcher;
}

export class RoutingFetcher implements SourceFetcher {
  readonly #fetchers: SourceFetchers;

  constructor(fetchers: SourceFetchers) {
    this.#fetchers = fetchers;
  }

  async fetch(request: FetchRequest): Promise<FetchedSource> {
    const local = isLocalRepo(parseRepoURL(request.repoURL));
    const fetcher = local ? this.#fetchers.local : this.#fetchers.github;
    if (!fetcher) {
      throw new RepositoryNotFoundError(request.repoURL, local ? 'local repositories are not enabled here' : 'no GitHub credentials are configured');
    }
    return fetcher.fetch(request);
  }
}
