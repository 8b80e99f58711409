// A GitHub delivery → jobs. Verifies, matches and enqueues; nothing slow happens here
// (a config-repo push becomes one registry-refresh job: the worker re-reads the registry).
//
// A delivery is acted on once. GitHub's redelivery keeps its X-GitHub-Delivery; a captured
// body posted again under a new id (the signature covers the body, not the id) is known by the
// body's hash. Both are remembered for the delivery TTL; past it, the worker still refuses a
// revision older than the one applied (worker/policy/replay.ts).
import { changedFilesOf, configChanged, matchPush } from '../config/match.ts';
import { sameRepo } from '../config/repo-url.ts';
import type { Registry } from '../config/types.ts';
import { targetId, type Job, type SyncJob } from '../queue/job.ts';
import { isAccepted, type EventOutcome } from './accepted.ts';
import { checkRunDelivery, checkSuiteDelivery } from './check-run.ts';
import { BadDeliveryError, WebhookError } from './errors.ts';
import { pullRequestDelivery } from './pull-request.ts';
import { queueOnce, replayKey } from './queue-once.ts';
import type { SignatureVerifier } from './verify.ts';

export { replayKey };

export interface WebhookRequest {
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** The raw body, already base64-decoded. */
  body: string;
}

export interface WebhookResponse {
  statusCode: number;
  body: Record<string, unknown>;
}

export interface WebhookDependencies {
  verifier: SignatureVerifier;
  registry(): Promise<Registry | undefined>;
  /** The config repository and branch whose pushes refresh the registry. */
  configRepo?: { repoURL: string; branch: string; dir: string };
  /** True the first time a delivery id (or a body's replayKey) is seen. */
  rememberDelivery(id: string): Promise<boolean>;
  /** Marks the commit as the one the target must end on (a newer commit wins); before enqueueing. */
  requestSync(target: { app: string; cluster: string }, revision: string): Promise<unknown>;
  forgetDelivery(id: string): Promise<void>;
  enqueue(jobs: Job[]): Promise<void>;
  /** The GitHub host whose repositories pull requests and check runs may name (github.com by default). */
  gitHubHost?: string;
  maxBodyBytes?: number;
  now?: () => Date;
}

interface PushPayload {
  ref?: string;
  after?: string;
  deleted?: boolean;
  created?: boolean;
  forced?: boolean;
  commits?: Array<{ added?: string[]; removed?: string[]; modified?: string[] }>;
  /** Null on a push that adds no commit; its `timestamp` is ISO 8601 with the committer's offset. */
  head_commit?: { timestamp?: string } | null;
  repository?: { clone_url?: string; html_url?: string; ssh_url?: string; default_branch?: string; master_branch?: string };
}

const DEFAULT_MAX_BODY = 25 * 1024 * 1024; // GitHub caps payloads at 25 MB
// GitHub's delivery ids are GUIDs; anything else in the header is not GitHub's.
const DELIVERY_ID = /^[0-9A-Za-z-]{1,100}$/;

export async function handleDelivery(request: WebhookRequest, deps: WebhookDependencies): Promise<WebhookResponse> {
  try {
    return await intake(request, deps);
  } catch (error) {
    if (error instanceof WebhookError) return { statusCode: error.statusCode, body: { message: error.message } };
    throw error;
  }
}

async function intake(request: WebhookRequest, deps: WebhookDependencies): Promise<WebhookResponse> {
  const size = Buffer.byteLength(request.body);
  if (size > (deps.maxBodyBytes ?? DEFAULT_MAX_BODY))
    throw new BadDeliveryError(`body of ${size} bytes is larger than the ${deps.maxBodyBytes ?? DEFAULT_MAX_BODY} allowed`, 413);
  await deps.verifier.verify(request.body, request.headers['x-hub-signature-256'], request.headers['x-hub-signature']);

  const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new BadDeliveryError(`content type "${contentType || 'none'}" is not supported: set the webhook's content type to application/json`, 415);
  }
  const event = request.headers['x-github-event'];
  const delivery = request.headers['x-github-delivery'];
  if (!event) throw new BadDeliveryError('X-GitHub-Event header is missing');
  if (!delivery) throw new BadDeliveryError('X-GitHub-Delivery header is missing');
  if (!DELIVERY_ID.test(delivery)) throw new BadDeliveryError('X-GitHub-Delivery header is not a GitHub delivery id (letters, digits and dashes)');
  const payload = parseJson(request.body);

  if (event === 'ping') return { statusCode: 200, body: { message: 'pong' } };
  const enqueuedAt = (deps.now?.() ?? new Date()).toISOString();
  const context = { ...deps, deliveryId: delivery, enqueuedAt };
  if (event === 'pull_request') return settle(await pullRequestDelivery(payload, context), delivery, request.body, deps);
  if (event === 'check_run') return settle(await checkRunDelivery(payload, context), delivery, request.body, deps);
  if (event === 'check_suite') return settle(checkSuiteDelivery(payload), delivery, request.body, deps);
  if (event !== 'push') return ignored(`${event} events are not used`);
  const push = payload as PushPayload;
  if (typeof push.ref !== 'string') throw new BadDeliveryError('push payload has no "ref"');
  if (push.ref.startsWith('refs/tags/')) return ignored('tag pushes do not sync (pin a tag as targetRevision and push the config repo instead)');
  if (!push.ref.startsWith('refs/heads/')) return ignored(`ref ${push.ref} is not a branch`);
  if (push.deleted) return ignored('branch deletions do not sync');
  const repoURL = push.repository?.clone_url ?? push.repository?.html_url;
  if (!repoURL) throw new BadDeliveryError('push payload has no repository.clone_url');
  if (typeof push.after !== 'string' || !/^[0-9a-f]{40}$/.test(push.after)) throw new BadDeliveryError('push payload "after" is not a commit sha');

  const branch = push.ref.slice('refs/heads/'.length);
  const changedFiles = changedFilesOf(push);
  const committedAt = commitTime(push.head_commit?.timestamp);
  const jobs = await jobsFor(
    deps,
    { repoURL, branch, headSha: push.after, changedFiles, defaultBranch: push.repository?.default_branch, committedAt },
    delivery,
  );
  if (jobs.length === 0) return { statusCode: 200, body: { message: 'nothing to do: no app tracks these files on this branch' } };

  if (!(await deps.rememberDelivery(delivery))) return { statusCode: 200, body: { message: `delivery ${delivery} was already handled` } };
  const bodyKey = replayKey(request.body);
  if (!(await deps.rememberDelivery(bodyKey))) {
    return { statusCode: 200, body: { message: `delivery ${delivery} repeats the body of a delivery already handled: not queued again (a replay)` } };
  }
  const syncs = jobs.filter((job): job is SyncJob => job.kind === 'sync');
  try {
    for (const job of syncs) await deps.requestSync(job, job.revision);
    await deps.enqueue(jobs);
  } catch (error) {
    // Let a redelivery try again: the jobs did not all reach the queue.
    await deps.forgetDelivery(bodyKey);
    await deps.forgetDelivery(delivery);
    throw error;
  }
  const refresh = jobs.length > syncs.length;
  const message = [syncs.length > 0 ? `${syncs.length} sync job(s)` : '', refresh ? 'a registry refresh' : ''].filter(Boolean).join(' and ');
  return {
    statusCode: 202,
    body: {
      message: `${message} queued`,
      targets: syncs.map((job) => targetId(job.app, job.cluster)),
      ...(refresh ? { registryRefresh: true } : {}),
      revision: push.after,
    },
  };
}

async function jobsFor(
  deps: WebhookDependencies,
  push: { repoURL: string; branch: string; headSha: string; changedFiles: string[] | 'all'; defaultBranch?: string; committedAt?: string },
  deliveryId: string,
): Promise<Job[]> {
  const enqueuedAt = (deps.now?.() ?? new Date()).toISOString();
  const jobs: Job[] = [];
  const config = deps.configRepo;
  if (config && sameRepo(config.repoURL, push.repoURL) && config.branch === push.branch && configChanged(config.dir, push.changedFiles)) {
    jobs.push({ kind: 'registry-refresh', revision: push.headSha, ref: push.branch, trigger: 'config', deliveryId, enqueuedAt });
  }
  const registry = await deps.registry();
  if (registry) {
    for (const target of matchPush(registry, push)) {
      jobs.push({
        kind: 'sync',
        app: target.app,
        cluster: target.cluster,
        revision: push.headSha,
        ref: push.branch,
        trigger: 'push',
        deliveryId,
        enqueuedAt,
        ...(push.committedAt ? { committedAt: push.committedAt } : {}),
      });
    }
  }
  return jobs;
}

/** The head commit's time in UTC, where DORA's lead time starts; none when the payload has no readable one. */
function commitTime(timestamp: string | undefined): string | undefined {
  const ms = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function parseJson(body: string): unknown {
  try {
    const value = JSON.parse(body);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(Array.isArray(value) ? 'an array, not an object' : 'not an object');
    return value;
  } catch (error) {
    throw new BadDeliveryError(`body is not a JSON object: ${(error as Error).message}`, 400, { cause: error });
  }
}

/** An event handler's answer as it is, or its jobs queued once. */
function settle(outcome: EventOutcome, delivery: string, body: string, deps: WebhookDependencies): Promise<WebhookResponse> | WebhookResponse {
  return isAccepted(outcome) ? queueOnce(outcome, { id: delivery, body }, deps) : outcome;
}

function ignored(reason: string): WebhookResponse {
  return { statusCode: 200, body: { message: `ignored: ${reason}` } };
}
