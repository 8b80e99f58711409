// A pull request's preview, in the worker: nothing is applied to any cluster.
//   superseded? → files the pull request changes → check run "Driftless preview" in progress on
//   the head → preview() → the check run completed with the Markdown output.
//
// A newer head supersedes: the job asks GitHub for the pull request's head (one call; GitHub is
// the authority, whatever order deliveries came in) and stops before it starts when the head
// moved on or the pull request was closed (the newer head's job, in the same FIFO group, shows
// it). Without GitHub (local mode) every preview runs.
//
// Per-target render and dry-run errors are part of the report (conclusion failure); an error of
// the whole preview that is bad input completes the check run as failed and is not retried; any
// other error completes it as cancelled and is retried (the retry starts a new check run, which
// GitHub shows in its place).
import { isBadInput } from '../errors/bad-input.ts';
import { ConsolePreviewPublisher, type PreviewConclusion } from '../github/preview-check.ts';
import { changeCount } from '../preview/change-count.ts';
import { previewCheckOutput } from '../preview/markdown.ts';
import { preview, type PreviewReport } from '../preview/preview.ts';
import type { PreviewJob } from '../queue/job.ts';
import type { WorkerDependencies } from './dependencies.ts';

export type PreviewOutcome = 'previewed' | 'preview-superseded' | 'preview-failed' | 'skipped';

export async function previewPullRequest(job: PreviewJob, deps: WorkerDependencies): Promise<PreviewOutcome> {
  const about = { pullRequest: job.pullRequest, repoURL: job.repoURL, revision: job.revision, deliveryId: job.deliveryId };
  const publisher = deps.previews ?? new ConsolePreviewPublisher();
  const now = await publisher.currentState(job.repoURL, job.pullRequest);
  if (now && (!now.open || now.head !== job.revision)) {
    deps.logger.info(now.open ? 'preview superseded by a newer head of the pull request; dropped' : 'preview of a closed pull request; dropped', {
      ...about,
      head: now.head,
    });
    return 'preview-superseded';
  }
  const registry = (await deps.store.getRegistry())?.registry;
  if (!registry) {
    deps.logger.warn('preview for a pull request before any registry was read; dropped', about);
    return 'skipped';
  }
  // Undefined when GitHub cannot list them all: the preview compares the two trees instead.
  const changedFiles = await publisher.changedFiles(job.repoURL, job.pullRequest);
  const check = await publisher.start({ repoURL: job.repoURL, pullRequest: job.pullRequest, sha: job.revision });

  let report: PreviewReport;
  try {
    report = await preview(
      { repoURL: job.repoURL, base: job.base, head: job.revision, baseBranch: job.baseRef, ...(changedFiles ? { changedFiles } : {}) },
      { ...deps, registry },
    );
  } catch (error) {
    const message = (error as Error).message;
    if (isBadInput(error)) {
      await publisher.complete(check, 'failure', { title: 'Preview failed', summary: message, text: '' });
      deps.logger.warn('preview failed: bad input, not retried', { ...about, error: message });
      return 'preview-failed';
    }
    await publisher.complete(check, 'cancelled', { title: 'Preview interrupted; it is tried again', summary: message, text: '' }).catch(() => undefined);
    throw error;
  }
  const conclusion = previewConclusion(report);
  await publisher.complete(check, conclusion, previewCheckOutput(report));
  deps.logger.info('preview done', { ...about, conclusion, targets: report.targets.length });
  return 'previewed';
}

/**
 * failure: a target could not be previewed (render, fetch or dry-run error) or a policy would
 * refuse the head; neutral: merging changes something; success: it changes nothing.
 */
export function previewConclusion(report: PreviewReport): PreviewConclusion {
  if (report.targets.some((target) => target.error !== undefined || target.verdicts.some((verdict) => !verdict.allowed))) return 'failure';
  const changes = report.targets.some((target) => target.diff !== '' || changeCount(target) > 0);
  return changes ? 'neutral' : 'success';
}
