// `check_run` rerequested ("Re-run" on GitHub) → the check's work again: a Driftless sync check
// (external id `app@cluster`, read by rerequestedTarget) becomes a manual sync of that target
// at the check's commit, when the app and cluster are still registered and the commit is in the
// app's repository; a pull request's preview check (external id `preview#<n>`) becomes a new
// preview of that head, while it is still the pull request's head. Anything else is answered as
// ignored, saying why. `check_suite` re-runs ("Re-run all checks") are not acted on: the suite
// does not say which targets its runs were for without reading GitHub, which the webhook never
// does; re-running a check run does the same.
import { revisionRepoURL } from '../config/app-sources.ts';
import { sameRepo } from '../config/repo-url.ts';
import type { Registry } from '../config/types.ts';
import { rerequestedTarget } from '../github/check-rerequest.ts';
import { previewExternalId } from '../github/preview-check.ts';
import { targetId, type PreviewJob, type SyncJob } from '../queue/job.ts';
import { ignored, type EventOutcome } from './accepted.ts';
import { BadDeliveryError } from './errors.ts';
import { commitSha, field, positiveInteger, refName, repositoryURL, text } from './fields.ts';
import { fromFork } from './pull-request.ts';

const EVENT = 'check_run';
const PREVIEW_ID = /^preview#([1-9][0-9]{0,9})$/;

export interface CheckRunContext {
  registry(): Promise<Registry | undefined>;
  configRepo?: { repoURL: string };
  requestSync(target: { app: string; cluster: string }, revision: string): Promise<unknown>;
  gitHubHost?: string;
  deliveryId: string;
  enqueuedAt: string;
}

export async function checkRunDelivery(payload: unknown, context: CheckRunContext): Promise<EventOutcome> {
  const action = text(payload, 'action', EVENT);
  if (action !== 'rerequested') return ignored(`check_run "${action.slice(0, 40)}" asks for nothing (only rerequested, GitHub's Re-run, does)`);
  const repoURL = repositoryURL(payload, 'repository.clone_url', EVENT, context.gitHubHost);
  const externalId = field(payload, 'check_run.external_id');
  if (typeof externalId === 'string' && externalId.startsWith('preview#')) return previewAgain(payload, externalId, repoURL, context);

  const target = rerequestedTarget(payload);
  if (!target) return ignored('the check run is not a Driftless sync check (its external id names no app@cluster)');
  const id = targetId(target.app, target.cluster);
  const registry = await context.registry();
  const app = registry?.apps.find((candidate) => candidate.name === target.app);
  if (!registry || !app || !app.destinations.some((destination) => destination.cluster === target.cluster)) {
    return ignored(`${id} is not in the registry (any more): nothing to sync again`);
  }
  if (!registry.clusters.some((cluster) => cluster.name === target.cluster))
    return ignored(`cluster ${target.cluster} is not registered: nothing to sync again`);
  // The commit must be one of the app's: a check run in another repository never picks its revision.
  if (!sameRepo(revisionRepoURL(app, context.configRepo?.repoURL), repoURL)) {
    return ignored(`the check run is in another repository than ${id}'s commits: not synced`);
  }
  const job: SyncJob = {
    kind: 'sync',
    app: target.app,
    cluster: target.cluster,
    revision: target.sha,
    trigger: 'manual',
    deliveryId: context.deliveryId,
    enqueuedAt: context.enqueuedAt,
  };
  return {
    jobs: [job],
    record: async () => {
      await context.requestSync(target, target.sha);
    },
    body: { message: `sync of ${id} queued again (re-run)`, targets: [id], revision: target.sha },
  };
}

/** A re-run of a pull request's preview: its head previewed again, if it is still the head. */
function previewAgain(payload: unknown, externalId: string, repoURL: string, context: CheckRunContext): EventOutcome {
  const match = PREVIEW_ID.exec(externalId);
  if (!match) throw new BadDeliveryError(`${EVENT} payload "check_run.external_id" is not a preview's (preview#<pull request number>)`);
  const number = Number(match[1]);
  const head = commitSha(payload, 'check_run.head_sha', EVENT);
  const pulls = field(payload, 'check_run.pull_requests');
  const index = Array.isArray(pulls) ? pulls.findIndex((pull) => field(pull, 'number') === number) : -1;
  if (index < 0) return ignored(`pull request #${number} is not among the check run's pull requests (closed or merged): not previewed again`);
  const at = `check_run.pull_requests.${index}`;
  positiveInteger(payload, `${at}.number`, EVENT);
  if (commitSha(payload, `${at}.head.sha`, EVENT) !== head)
    return ignored(`pull request #${number} has a newer head than ${head.slice(0, 7)}: its own preview shows it`);
  if (fromFork(payload, `${at}.head.repo.id`, `${at}.base.repo.id`)) return ignored(`pull request #${number} comes from a fork: not previewed`);
  const job: PreviewJob = {
    kind: 'preview',
    repoURL,
    pullRequest: number,
    revision: head,
    base: commitSha(payload, `${at}.base.sha`, EVENT),
    baseRef: refName(payload, `${at}.base.ref`, EVENT),
    headRef: refName(payload, `${at}.head.ref`, EVENT),
    deliveryId: context.deliveryId,
    enqueuedAt: context.enqueuedAt,
  };
  return {
    jobs: [job],
    body: { message: `preview of pull request #${number} queued again (re-run)`, pullRequest: number, revision: head, check: previewExternalId(number) },
  };
}

/** `check_suite`: never acted on (see above); the answer says what to do instead. */
export function checkSuiteDelivery(payload: unknown): EventOutcome {
  const action = field(payload, 'action');
  if (action === 'rerequested') return ignored('check suites are not re-run as a whole: re-run a Driftless check run instead');
  return ignored(`check_suite events ask for nothing${typeof action === 'string' ? ` ("${action.slice(0, 40)}")` : ''}`);
}
