// A GitHub delivery → jobs. Verifies, matches and enqueues; nothing slow happens here
// (a config-repo push becomes one registry-refresh job: the worker re-reads the registry).
// The checks every delivery passes are here (size, signature, content type, headers, JSON);
// each event's own handler says what it means: push.ts, pull-request.ts, check-run.ts.
//
// A delivery is acted on once. GitHub's redelivery keeps its X-GitHub-Delivery; a captured
// body posted again under a new id (the signature covers the body, not the id) is known by the
// body's hash. Both are remembered for the delivery TTL; past it, the worker still refuses a
// revision older than the one applied (worker/policy/replay.ts).
import type { Registry } from '../config/types.ts';
import type { Job } from '../queue/job.ts';
import { ignored, isAccepted, type EventOutcome } from './accepted.ts';
import { checkRunDelivery, checkSuiteDelivery } from './check-run.ts';
import { BadDeliveryError, WebhookError } from './errors.ts';
import { pullRequestDelivery } from './pull-request.ts';
import { pushDelivery } from './push.ts';
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
  /** What a push to `branch` of `repoURL` can touch (PushContext.pushRegistry); absent: `registry()`. */
  pushRegistry?(repoURL: string, branch: string): Promise<Registry | undefined>;
  /** The config repository and branch whose pushes refresh the registry. */
  configRepo?: { repoURL: string; branch: string; dir: string };
  /** True the first time a delivery id (or a body's replayKey) is seen. */
  rememberDelivery(id: string): Promise<boolean>;
  /** Marks the commit as the one the target must end on (a newer commit wins); before enqueueing. */
  requestSync(target: { app: string; cluster: string }, revision: string): Promise<unknown>;
  /** Marks a target for its ApplicationSet's rollout instead of requesting it (shared/rollout/route.ts); absent: none is. */
  markRollout?(target: { app: string; cluster: string }, rollout: { set: string; id: string; revision: string }): Promise<unknown>;
  forgetDelivery(id: string): Promise<void>;
  enqueue(jobs: Job[]): Promise<void>;
  /** The GitHub host whose repositories pull requests and check runs may name (github.com by default). */
  gitHubHost?: string;
  maxBodyBytes?: number;
  now?: () => Date;
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
  if (event === 'push') return settle(await pushDelivery(payload, context), delivery, request.body, deps);
  return ignored(`${event} events are not used`);
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
