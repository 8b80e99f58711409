// The paths a pull request changes, from GitHub's "list pull request files" API: 100 per page
// (its maximum), following the Link header. GitHub lists at most 3000 files; at that count the
// list may be cut, so the caller is told it cannot rely on it (undefined) rather than given a
// partial list that would leave apps out of the preview.

import type { Octokit } from '@octokit/rest';
import { gitHubApiError } from './api-error.ts';
import { GITHUB_COM, parseGitHubRepoURL } from './repo-url.ts';

/** GitHub's documented limit of the files API. */
export const MAX_PULL_REQUEST_FILES = 3000;
const PER_PAGE = 100;

export async function pullRequestFiles(octokit: Octokit, repoURL: string, pullRequest: number, host: string = GITHUB_COM): Promise<string[] | undefined> {
  const { owner, repo } = parseGitHubRepoURL(repoURL, host);
  const paths = new Set<string>();
  let listed = 0;
  try {
    for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pullRequest, per_page: PER_PAGE })) {
      for (const file of page.data) {
        listed++;
        paths.add(file.filename);
        // A rename touches the folder it left as much as the one it entered.
        if (file.previous_filename) paths.add(file.previous_filename);
      }
    }
  } catch (error) {
    throw gitHubApiError(`listing the files of pull request #${pullRequest} of ${owner}/${repo}`, error);
  }
  return listed >= MAX_PULL_REQUEST_FILES ? undefined : [...paths];
}
