// Repository identity lives with URL parsing (github/repo-url.ts); the config area adds the
// spellings a project's sourceRepos globs may have been written against.
import { repoKey } from '../github/repo-url.ts';

export { repoKey, sameRepo } from '../github/repo-url.ts';

/** The forms a project's sourceRepos glob may have been written against. */
export function repoURLForms(url: string): string[] {
  const key = repoKey(url);
  const forms = [url.trim(), url.trim().replace(/\.git$/i, '')];
  forms.push(key.startsWith('file:') ? `file://${key.slice('file:'.length)}` : `https://${key}`);
  return forms;
}
