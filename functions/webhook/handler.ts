// GitHub webhook behind a Lambda Function URL: parse the HTTP event, build the dependencies
// once per cold start, hand the delivery to shared/webhook.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { gitHubHostOf, jobQueue, loadWebhookSecret, stateStore, type Environment } from '../../shared/runtime/environment.ts';
import { functionTracer, tracingMiddleware } from '../../shared/runtime/tracing.ts';
import { handleDelivery, type WebhookDependencies } from '../../shared/webhook/intake.ts';
import { SignatureVerifier } from '../../shared/webhook/verify.ts';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'driftless' });
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Driftless',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'driftless',
});
// Before any client is built: the runtime captures its AWS SDK clients with it (a no-op outside Lambda).
const tracer = await functionTracer('webhook');
const DELIVERY_TTL_SECONDS = 7 * 24 * 3600; // GitHub lets people redeliver for about a week

let dependencies: Promise<WebhookDependencies> | undefined;

export async function buildDependencies(env: Environment): Promise<WebhookDependencies> {
  // The webhook secret only: this function faces the internet and never holds GitHub credentials.
  const webhookSecret = await loadWebhookSecret(env);
  const store = stateStore(env);
  const queue = jobQueue(env);
  return {
    verifier: new SignatureVerifier(webhookSecret),
    registry: async () => (await store.getRegistry())?.registry,
    // A push reads only its branch's part of the registry (the push index), not 10,000 apps.
    pushRegistry: (repoURL, branch) => store.getPushIndex(repoURL, branch),
    configRepo: env.CONFIG_REPO_URL
      ? { repoURL: env.CONFIG_REPO_URL, branch: env.CONFIG_REPO_BRANCH ?? 'main', dir: env.CONFIG_DIR ?? 'driftless' }
      : undefined,
    rememberDelivery: (id) => store.rememberDelivery(id, DELIVERY_TTL_SECONDS),
    forgetDelivery: (id) => store.forgetDelivery(id),
    requestSync: (target, revision) => store.requestSync(target, revision),
    // A RollingSync set's targets are marked for its rollout instead (same partition, one write each).
    markRollout: (target, rollout) => store.markRollout(target, rollout),
    // Not a credential: which GitHub's repositories a payload may name.
    gitHubHost: gitHubHostOf(env),
    enqueue: async (jobs) => {
      await queue.enqueue(jobs);
    },
  };
}

export async function webhook(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  logger.appendKeys({ deliveryId: headers['x-github-delivery'], githubEvent: headers['x-github-event'] });
  dependencies ??= buildDependencies(process.env).catch((error: unknown) => {
    dependencies = undefined; // a failed cold start must not poison the container
    throw error;
  });
  const response = await handleDelivery({ headers, body }, await dependencies);
  countDelivery(headers, response.statusCode);
  // `answer`, not `message`: that is the log line's own key, and Powertools would drop this one.
  logger.info('delivery handled', { statusCode: response.statusCode, answer: response.body.message, targets: response.body.targets });
  return { statusCode: response.statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
}

/**
 * What the "wrong webhook secret" alarm reads: a delivery that looks like GitHub's (its user
 * agent and a well-formed signature) refused for its signature is GitHub signing with another
 * secret than ours, which refuses every push silently. Unsigned noise from scanners is left out.
 */
function countDelivery(headers: Record<string, string | undefined>, statusCode: number): void {
  const fromGitHub = (headers['user-agent'] ?? '').startsWith('GitHub-Hookshot/') && /^sha256=[0-9a-f]{64}$/.test(headers['x-hub-signature-256'] ?? '');
  if (!fromGitHub) return;
  metrics.addMetric(statusCode === 401 ? 'WebhookSignatureRejected' : 'WebhookSignatureAccepted', MetricUnit.Count, 1);
}

export const handler = middy(webhook)
  .use(tracingMiddleware(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
