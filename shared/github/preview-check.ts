// Where a pull request's preview is shown: one check run "Driftless preview" on its head commit
// (in_progress while it is computed, then completed with the Markdown output), the files it
// changes and its current head read from the API. Without check runs (a token, not a GitHub App: GitHub answers 403)
// a commit status `driftless/preview` carries the title instead; without GitHub at all (local
// mode) the summary is printed.

import type { Octokit } from '@octokit/rest';
import { gitHubApiError, httpStatus } from './api-error.ts';
import { pullRequestFiles } from './pull-request-files.ts';
import { GITHUB_COM, parseGitHubRepoURL } from './repo-url.ts';
import { GitHubStatusPoster, truncateDescription, type CommitStatusPoster, type LineSink } from './status.ts';

export const PREVIEW_CHECK_NAME = 'Driftless preview';
export const PREVIEW_STATUS_CONTEXT = 'driftless/preview';

/**
 * success: merging changes nothing on any cluster. neutral: it changes something, which is
 * what a pull request is for (GitHub counts neutral as passing, so a required preview never
 * blocks a merge for showing a change). failure: a render, policy or dry-run error, which the
 * sync of the merged commit would meet too. cancelled: the preview stopped before its end (it is
 * retried, or a newer head superseded it).
 */
export type PreviewConclusion = 'success' | 'neutral' | 'failure' | 'cancelled';

export interface PreviewOutput {
  title: string;
  summary: string;
  text: string;
}

export interface PreviewSubject {
  repoURL: string;
  pullRequest: number;
  /** The head commit. */
  sha: string;
}

/** A started preview, as its publisher needs it to complete it. */
export interface PreviewHandle {
  subject: PreviewSubject;
  /** The check run's id; absent when shown another way. */
  checkRunId?: number;
}

/** A pull request as GitHub has it now. */
export interface PullRequestState {
  open: boolean;
  /** Its head commit now. */
  head: string;
}

export interface PreviewPublisher {
  /** The pull request now, to tell a superseded head; undefined when it cannot be known (no GitHub). */
  currentState(repoURL: string, pullRequest: number): Promise<PullRequestState | undefined>;
  /** The paths the pull request changes; undefined when they cannot be listed completely (GitHub's 3000 files, no GitHub). */
  changedFiles(repoURL: string, pullRequest: number): Promise<string[] | undefined>;
  start(subject: PreviewSubject): Promise<PreviewHandle>;
  complete(handle: PreviewHandle, conclusion: PreviewConclusion, output: PreviewOutput): Promise<void>;
}

/** What a pull request's check run is known by: a re-run of it previews the pull request again. */
export function previewExternalId(pullRequest: number): string {
  return `preview#${pullRequest}`;
}

export class GitHubPreviewPublisher implements PreviewPublisher {
  readonly #octokit: Octokit;
  readonly #host: string;
  readonly #statuses?: CommitStatusPoster;

  /** `statuses`: where the preview goes when check runs are refused (token authentication). */
  constructor(octokit: Octokit, options: { host?: string; statuses?: CommitStatusPoster } = {}) {
    this.#octokit = octokit;
    this.#host = options.host ?? GITHUB_COM;
    this.#statuses = options.statuses;
  }

  changedFiles(repoURL: string, pullRequest: number): Promise<string[] | undefined> {
    return pullRequestFiles(this.#octokit, repoURL, pullRequest, this.#host);
  }

  async currentState(repoURL: string, pullRequest: number): Promise<PullRequestState> {
    const { owner, repo } = parseGitHubRepoURL(repoURL, this.#host);
    try {
      const { data } = await this.#octokit.rest.pulls.get({ owner, repo, pull_number: pullRequest });
      return { open: data.state === 'open', head: data.head.sha };
    } catch (error) {
      // Deleted, or never there (a forged delivery that was signed): nothing to preview.
      if (httpStatus(error) === 404) return { open: false, head: '' };
      throw gitHubApiError(`reading pull request #${pullRequest} of ${owner}/${repo}`, error);
    }
  }

  async start(subject: PreviewSubject): Promise<PreviewHandle> {
    const { owner, repo } = parseGitHubRepoURL(subject.repoURL, this.#host);
    try {
      const { data } = await this.#octokit.rest.checks.create({
        owner,
        repo,
        name: PREVIEW_CHECK_NAME,
        head_sha: subject.sha,
        status: 'in_progress',
        started_at: new Date().toISOString(),
        external_id: previewExternalId(subject.pullRequest),
      });
      return { subject, checkRunId: data.id };
    } catch (error) {
      // Check runs are for GitHub Apps only; a token gets 403 and keeps commit statuses.
      if (httpStatus(error) !== 403 || !this.#statuses)
        throw gitHubApiError(`creating check run "${PREVIEW_CHECK_NAME}" on ${owner}/${repo}@${subject.sha}`, error);
      await this.#status(subject, 'pending', 'preview in progress');
      return { subject };
    }
  }

  async complete(handle: PreviewHandle, conclusion: PreviewConclusion, output: PreviewOutput): Promise<void> {
    const { subject } = handle;
    if (handle.checkRunId === undefined) {
      return this.#status(subject, conclusion === 'failure' ? 'failure' : conclusion === 'cancelled' ? 'error' : 'success', output.title);
    }
    const { owner, repo } = parseGitHubRepoURL(subject.repoURL, this.#host);
    try {
      await this.#octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: handle.checkRunId,
        status: 'completed',
        conclusion,
        completed_at: new Date().toISOString(),
        // GitHub requires a title and a summary; an empty text is left out.
        output: { title: output.title, summary: output.summary, ...(output.text ? { text: output.text } : {}) },
      });
    } catch (error) {
      throw gitHubApiError(`completing check run "${PREVIEW_CHECK_NAME}" ${handle.checkRunId} on ${owner}/${repo}@${subject.sha}`, error);
    }
  }

  async #status(subject: PreviewSubject, state: 'pending' | 'success' | 'failure' | 'error', description: string): Promise<void> {
    await this.#statuses?.post({
      repoURL: subject.repoURL,
      sha: subject.sha,
      state,
      context: PREVIEW_STATUS_CONTEXT,
      description: truncateDescription(description),
    });
  }
}

/** Local mode without GitHub: the files are found by comparing the trees, the result is printed. */
export class ConsolePreviewPublisher implements PreviewPublisher {
  readonly #sink: LineSink;

  constructor(sink: LineSink = process.stdout) {
    this.#sink = sink;
  }

  async changedFiles(): Promise<undefined> {
    return undefined;
  }

  async currentState(): Promise<undefined> {
    return undefined;
  }

  async start(subject: PreviewSubject): Promise<PreviewHandle> {
    this.#sink.write(`preview in_progress #${subject.pullRequest} ${subject.sha.slice(0, 12)}\n`);
    return { subject };
  }

  async complete(handle: PreviewHandle, conclusion: PreviewConclusion, output: PreviewOutput): Promise<void> {
    this.#sink.write(`preview ${conclusion} #${handle.subject.pullRequest} ${handle.subject.sha.slice(0, 12)}: ${output.title}\n${output.summary}\n`);
  }
}

/**
 * The publisher for a worker: GitHub's when it has a client (a plain commit status where check
 * runs are refused: never the sync's own poster, which would make deployments of a preview), the
 * console's otherwise.
 */
export function previewPublisher(octokit: Octokit | undefined, options: { host?: string } = {}): PreviewPublisher {
  if (!octokit) return new ConsolePreviewPublisher();
  return new GitHubPreviewPublisher(octokit, { host: options.host, statuses: new GitHubStatusPoster(octokit, { host: options.host }) });
}
