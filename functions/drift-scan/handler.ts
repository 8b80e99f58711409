// EventBridge Scheduler → drift-scan: whatever the event, plan this period's work (missed
// pushes, one cluster-scan job per cluster) and put it on the sync queue; the sync workers run it.
// `DriftScansEnqueued` counts the targets those scans cover.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { planScans, type ScanPlan, type ScheduleDependencies } from '../../shared/drift/plan-scans.ts';
import { branchHeads, gitHub, jobQueue, loadGitHubSecret, stateStore, type Environment } from '../../shared/runtime/environment.ts';
import { functionTracer, tracingMiddleware } from '../../shared/runtime/tracing.ts';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'driftless' });
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Driftless',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'driftless',
});
// Before any client is built: the runtime captures its AWS SDK clients with it (a no-op outside Lambda).
const tracer = await functionTracer('driftScan');
const DEFAULT_INTERVAL_SECONDS = 300;

let dependencies: Promise<ScheduleDependencies> | undefined;

export async function buildDependencies(env: Environment): Promise<ScheduleDependencies> {
  const secret = await loadGitHubSecret(env);
  const octokit = gitHub(env, secret);
  return {
    store: stateStore(env),
    queue: jobQueue(env),
    heads: branchHeads(octokit, env),
    intervalMs: Number(env.DRIFT_INTERVAL_SECONDS ?? DEFAULT_INTERVAL_SECONDS) * 1000,
    configRepo: env.CONFIG_REPO_URL ? { repoURL: env.CONFIG_REPO_URL, branch: env.CONFIG_REPO_BRANCH ?? 'main' } : undefined,
    logger,
  };
}

export async function driftScan(_event: unknown): Promise<ScanPlan> {
  dependencies ??= buildDependencies(process.env).catch((error: unknown) => {
    dependencies = undefined; // a failed cold start must not poison the container
    throw error;
  });
  const plan = await planScans(await dependencies);
  metrics.addMetric('DriftScansEnqueued', MetricUnit.Count, plan.scans);
  metrics.addMetric('MissedPushes', MetricUnit.Count, plan.missedPushes.length);
  logger.info('drift scan planned', {
    scans: plan.scans,
    missedPushes: plan.missedPushes,
    windowsOpened: plan.windowsOpened,
    registryBehind: plan.registryBehind,
    headErrors: plan.headErrors.length,
  });
  return plan;
}

export const handler = middy(driftScan)
  .use(tracingMiddleware(tracer))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
