// Each repository and revision fetched once per preview, however many apps read it: fifty apps
// of one repository at the head are one fetch (one resolve, one archive), released when the
// preview ends rather than by each app.
import { repoKey } from '../config/repo-url.ts';
import type { FetchedSource, FetchRequest, SourceFetcher } from '../source/fetcher.ts';

export class FetchOnce implements SourceFetcher {
  readonly #inner: SourceFetcher;
  readonly #fetches = new Map<string, Promise<FetchedSource>>();

  constructor(inner: SourceFetcher) {
    this.#inner = inner;
  }

  async fetch(request: FetchRequest): Promise<FetchedSource> {
    const key = `${repoKey(request.repoURL)}@${request.revision}`;
    let fetching = this.#fetches.get(key);
    if (!fetching) {
      fetching = this.#inner.fetch(request);
      this.#fetches.set(key, fetching);
      // A failed fetch is not kept: the next app asks again (and gets its own error).
      fetching.catch(() => this.#fetches.delete(key));
    }
    const source = await fetching;
    // Released by releaseAll, once every app is done with it.
    return { root: source.root, sha: source.sha, dispose: async () => undefined };
  }

  isAncestor(repoURL: string, ancestor: string, descendant: string): Promise<boolean | undefined> {
    return this.#inner.isAncestor?.(repoURL, ancestor, descendant) ?? Promise.resolve(undefined);
  }

  async releaseAll(): Promise<void> {
    const fetched = await Promise.allSettled(this.#fetches.values());
    this.#fetches.clear();
    await Promise.all(fetched.map((result) => (result.status === 'fulfilled' ? result.value.dispose() : undefined)));
  }
}
