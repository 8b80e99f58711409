import { describe, expect, it } from 'vitest';
import { LocalRepoNotAllowedError, RepositoryNotFoundError } from '../../shared/source/errors.ts';
import type { FetchRequest, SourceFetcher } from '../../shared/source/fetcher.ts';
import { RoutingFetcher } from '../../shared/source/routing.ts';

// Recording fetchers: what matters here is which one a URL is sent to.
function recorder(name: string, seen: string[]): SourceFetcher {
  return {
    async fetch(request: FetchRequest) {
      seen.push(`${name} ${request.repoURL}`);
      return { root: '/nowhere', sha: '0'.repeat(40), dispose: async () => {} };
    },
  };
}

describe('RoutingFetcher', () => {
  it('sends paths and file:// URLs to git, everything else to GitHub', async () => {
    const seen: string[] = [];
    const fetcher = new RoutingFetcher({ github: recorder('github', seen), local: recorder('local', seen) });
    for (const repoURL of ['/srv/git/shop', 'file:///srv/git/shop', 'https://github.com/acme/shop', 'git@github.com:acme/shop.git']) {
      await fetcher.fetch({ repoURL, revision: 'main' });
    }
    expect(seen).toEqual(['local /srv/git/shop', 'local file:///srv/git/shop', 'github https://github.com/acme/shop', 'github git@github.com:acme/shop.git']);
  });

  it('says when GitHub is not configured', async () => {
    const fetcher = new RoutingFetcher({ local: recorder('local', []) });
    await expect(fetcher.fetch({ repoURL: 'https://github.com/acme/shop', revision: 'main' })).rejects.toThrow(RepositoryNotFoundError);
    await expect(fetcher.fetch({ repoURL: 'https://github.com/acme/shop', revision: 'main' })).rejects.toThrow(/no GitHub credentials/);
  });

  it('refuses a local path or file:// URL when it has no local fetcher (the worker in AWS)', async () => {
    const seen: string[] = [];
    const fetcher = new RoutingFetcher({ github: recorder('github', seen) });
    for (const repoURL of ['/srv/git/shop', 'file:///srv/git/shop', '../shop']) {
      await expect(fetcher.fetch({ repoURL, revision: 'main' })).rejects.toThrow(LocalRepoNotAllowedError);
    }
    expect(seen).toEqual([]);
  });
});
