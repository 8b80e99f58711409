// How two commits of a GitHub repository relate, from the compare API
// (`GET /repos/{owner}/{repo}/compare/{base}...{head}`): its `status` says whether head is
// `ahead` of base (base is in head's history), `behind` it (head is in base's history),
// `identical`, or `diverged` (each has commits the other lacks: a force push). One request,
// asking for one commit of the list: only the status is read.
import type { Octokit } from '@octokit/rest';
import { gitHubApiError, httpStatus } from './api-error.ts';
import type { RemoteRepo } from './repo-url.ts';

export type CommitComparison = 'ahead' | 'behind' | 'identical' | 'diverged';

const STATUSES: readonly string[] = ['ahead', 'behind', 'identical', 'diverged'];

/** The comparison, or `undefined` when GitHub knows either commit not (404, 422). */
export async function compareCommits(octokit: Octokit, { owner, repo }: RemoteRepo, base: string, head: string): Promise<CommitComparison | undefined> {
  try {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}`, per_page: 1 });
    if (!STATUSES.includes(data.status)) throw new Error(`unexpected comparison status "${data.status}"`);
    return data.status as CommitComparison;
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404 || status === 422) return undefined;
    throw gitHubApiError(`comparing ${base.slice(0, 12)}...${head.slice(0, 12)} in ${owner}/${repo}`, error);
  }
}
