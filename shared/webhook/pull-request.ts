// `pull_request` → one preview job for the pull request's head. Opened, reopened and a push to
// the head (synchronize) preview; every other action (closed, labeled, edited, …) changes
// nothing a preview shows. A pull request into a repository and branch no registered app
// tracks (nor the config repository) is not previewed: there is nothing it could change.
//
// A pull request from a fork is not previewed: whoever can fork may open one, and a preview
// renders its head (Helm, Kustomize) and dry-runs it against the registered clusters with the
// worker's credentials; a head in the repository itself was pushed by someone with write access.
//
// The previews of one pull request share a FIFO group; the worker asks GitHub for the pull
// request's head before it starts one and drops a head a newer push superseded.
import { matchPush } from '../config/match.ts';
import { sameRepo } from '../config/repo-url.ts';
import type { Registry } from '../config/types.ts';
import type { PreviewJob } from '../queue/job.ts';
import { ignored, type EventOutcome } from './accepted.ts';
import { commitSha, field, positiveInteger, refName, repositoryURL, text } from './fields.ts';
import { branchRegistry } from './push.ts';

const PREVIEWED_ACTIONS = new Set(['opened', 'synchronize', 'reopened']);
const EVENT = 'pull_request';

export interface PullRequestContext {
  registry(): Promise<Registry | undefined>;
  /** The apps that follow a branch (PushContext.pushRegistry): a pull request into it can change only them. */
  pushRegistry?(repoURL: string, branch: string): Promise<Registry | undefined>;
  configRepo?: { repoURL: string; branch: string; dir: string };
  /** The GitHub host whose repositories may be previewed. */
  gitHubHost?: string;
  deliveryId: string;
  enqueuedAt: string;
}

export async function pullRequestDelivery(payload: unknown, context: PullRequestContext): Promise<EventOutcome> {
  const action = text(payload, 'action', EVENT);
  if (!PREVIEWED_ACTIONS.has(action))
    return ignored(`pull_request "${action.slice(0, 40)}" changes nothing a preview shows (opened, synchronize and reopened do)`);
  const number = positiveInteger(payload, 'number', EVENT);
  // The base repository: the one the apps track and the check run goes on.
  const repoURL = repositoryURL(payload, 'pull_request.base.repo.clone_url', EVENT, context.gitHubHost);
  const head = commitSha(payload, 'pull_request.head.sha', EVENT);
  const base = commitSha(payload, 'pull_request.base.sha', EVENT);
  const baseRef = refName(payload, 'pull_request.base.ref', EVENT);
  const headRef = refName(payload, 'pull_request.head.ref', EVENT);
  if (fromFork(payload, 'pull_request.head.repo.id', 'pull_request.base.repo.id')) {
    return ignored(`pull request #${number} comes from a fork: not previewed (its manifests would be rendered and dry-run against the clusters)`);
  }

  const defaultBranch = field(payload, 'pull_request.base.repo.default_branch');

  if (!(await tracked(context, { repoURL, branch: baseRef, head, defaultBranch: typeof defaultBranch === 'string' ? defaultBranch : undefined }))) {
    return { statusCode: 200, body: { message: `nothing to do: no app tracks branch ${baseRef} of this repository` } };
  }
  const job: PreviewJob = {
    kind: 'preview',
    repoURL,
    pullRequest: number,
    revision: head,
    base,
    baseRef,
    headRef,
    deliveryId: context.deliveryId,
    enqueuedAt: context.enqueuedAt,
  };
  return {
    jobs: [job],
    body: { message: `preview of pull request #${number} queued`, pullRequest: number, revision: head },
  };
}

/**
 * Whether the head is in another repository than the base (a fork; a deleted fork has no head
 * repository at all). Compared by GitHub's repository ids, which names cannot spoof.
 */
export function fromFork(payload: unknown, headRepoId: string, baseRepoId: string): boolean {
  const head = field(payload, headRepoId);
  const base = field(payload, baseRepoId);
  return typeof head !== 'number' || typeof base !== 'number' || head !== base;
}

/** Whether merging into `branch` of the repository could change anything: an app tracks it, or it is the config repository's branch. */
async function tracked(context: PullRequestContext, into: { repoURL: string; branch: string; head: string; defaultBranch?: string }): Promise<boolean> {
  const config = context.configRepo;
  if (config && sameRepo(config.repoURL, into.repoURL) && config.branch === into.branch) return true;
  const registry = await branchRegistry(context, into.repoURL, into.branch);
  if (!registry) return false;
  // Every app on the branch, whatever files it watches: the worker narrows to the files changed.
  return (
    matchPush(registry, { repoURL: into.repoURL, branch: into.branch, headSha: into.head, changedFiles: 'all', defaultBranch: into.defaultBranch }).length > 0
  );
}
