// Repository identity lives with URL parsing (github/repo-url.ts); the config area adds the
// spellings a project's sourceRepos globs may have been written against. Only canonical
// spellings are offered: the repoURL as written never is, since a glob that matches its text
// (`https://github.com/team-a/*` against `https://github.com/team-a/../team-b/x`) says nothing
// about the repository a fetch would read.
import { isLocalRepo, parseRepoURL, type RepoLocation } from '../github/repo-url.ts';

export { repoKey, sameRepo } from '../github/repo-url.ts';

/**
 * The forms a project's sourceRepos glob may have been written against, all naming the
 * repository the URL is fetched from: https, scp-like and ssh:// (each with and without `.git`)
 * for a remote repository, the file:// URL and the absolute path for a local one. Throws
 * InvalidRepoURLError for a URL that is not a canonical repository URL.
 */
export function repoURLForms(url: string): string[] {
  return canonicalForms(parseRepoURL(url));
}

function canonicalForms(location: RepoLocation): string[] {
  if (isLocalRepo(location)) return [`file://${location.local}`, location.local];
  const { host, owner, repo } = location;
  return ['', '.git'].flatMap((suffix) => [
    `https://${host}/${owner}/${repo}${suffix}`,
    `git@${host}:${owner}/${repo}${suffix}`,
    `ssh://git@${host}/${owner}/${repo}${suffix}`,
  ]);
}
