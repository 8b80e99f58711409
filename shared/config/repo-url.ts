// One key per repository, whichever way its URL is written: https with or without `.git`,
// scp-like `git@host:o/r.git`, `ssh://git@host/o/r`, in any letter case (GitHub names are
// case-insensitive); `file://` URLs and plain paths become the absolute path.
import { isLocalRepo, parseRepoURL } from '../github/repo-url.ts';

export function repoKey(url: string): string {
  try {
    const location = parseRepoURL(url);
    if (isLocalRepo(location)) return `file:${location.local}`;
    return `${location.host}/${location.owner}/${location.repo}`.toLowerCase();
  } catch {
    // Not GitHub-shaped (a GitLab subgroup, say): still compare it loosely rather than never.
    return url
      .trim()
      .toLowerCase()
      .replace(/^[a-z+]+:\/\//, '')
      .replace(/^[^@/]+@/, '')
      .replace(':', '/')
      .replace(/\/+$/, '')
      .replace(/\.git$/, '');
  }
}

export function sameRepo(a: string, b: string): boolean {
  return repoKey(a) === repoKey(b);
}

/** The forms a project's sourceRepos glob may have been written against. */
export function repoURLForms(url: string): string[] {
  const key = repoKey(url);
  const forms = [url.trim(), url.trim().replace(/\.git$/i, '')];
  forms.push(key.startsWith('file:') ? `file://${key.slice('file:'.length)}` : `https://${key}`);
  return forms;
}
