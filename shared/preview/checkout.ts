// A repository checkout on this machine as a preview reads it (`driftless preview`): refs
// resolved and files compared with real git in the checkout, the names the registry may know
// the repository by (its folder, its remotes' URLs), and its commits served as the registry's
// repoURL, so commits not pushed anywhere yet preview as they would once pushed. git runs as
// the local fetcher runs it (source/git.ts): no hooks, no filters, no user config.
import { repoKey } from '../config/repo-url.ts';
import { RevisionNotFoundError } from '../source/errors.ts';
import type { FetchedSource, FetchRequest, SourceFetcher } from '../source/fetcher.ts';
import { git } from '../source/git.ts';
import { LocalGitFetcher } from '../source/local-git.ts';

export class NotACheckoutError extends Error {
  constructor(dir: string, options?: ErrorOptions) {
    super(`${dir} is not in a git repository: run driftless preview in a checkout of the repository to preview, or pass --checkout DIR`, options);
    this.name = 'NotACheckoutError';
  }
}

export interface Checkout {
  /** The work tree's top folder, absolute. */
  root: string;
  /** The full sha of a branch, tag, sha or any revision git understands. */
  resolve(ref: string): Promise<string>;
  /**
   * Files added, removed or modified on `head` since it left `base` (`git diff base...head`, a
   * rename as both paths): the files a pull request from head into base lists.
   */
  changedFiles(base: string, head: string): Promise<string[]>;
  /** The folder and every remote's fetch URL: the spellings a registry's repoURL may use. */
  names(): Promise<string[]>;
}

export async function openCheckout(dir: string): Promise<Checkout> {
  let root: string;
  try {
    root = (await git(dir, ['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    throw new NotACheckoutError(dir, { cause: error });
  }
  return {
    root,
    async resolve(ref) {
      try {
        return (await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
      } catch (error) {
        throw new RevisionNotFoundError(root, ref, ': git rev-parse does not know it in this checkout (fetch it first?)', { cause: error });
      }
    },
    async changedFiles(base, head) {
      const out = await git(root, ['diff', '--name-only', '--no-renames', '-z', `${base}...${head}`, '--']);
      return out.split('\0').filter(Boolean).sort();
    },
    async names() {
      const remotes = (await git(root, ['remote'])).split('\n').filter(Boolean);
      const urls = await Promise.all(remotes.map(async (remote) => (await git(root, ['remote', 'get-url', '--all', remote])).split('\n').filter(Boolean)));
      return [root, ...urls.flat()];
    },
  };
}

/** Serves `repoURL`'s commits from the checkout; every other repository from `others`. */
export class CheckoutFetcher implements SourceFetcher {
  readonly #key: string;
  readonly #root: string;
  readonly #local = new LocalGitFetcher();
  readonly #others: SourceFetcher;

  constructor(repoURL: string, root: string, others: SourceFetcher) {
    this.#key = repoKey(repoURL);
    this.#root = root;
    this.#others = others;
  }

  fetch(request: FetchRequest): Promise<FetchedSource> {
    if (sameKey(request.repoURL, this.#key)) return this.#local.fetch({ repoURL: this.#root, revision: request.revision });
    return this.#others.fetch(request);
  }

  async isAncestor(repoURL: string, ancestor: string, descendant: string): Promise<boolean | undefined> {
    if (sameKey(repoURL, this.#key)) return this.#local.isAncestor(this.#root, ancestor, descendant);
    return this.#others.isAncestor?.(repoURL, ancestor, descendant);
  }
}

function sameKey(url: string, key: string): boolean {
  return repoKey(url) === key;
}
