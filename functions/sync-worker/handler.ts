// SQS FIFO batch → one job per record, the batch's message groups at once (process-groups.ts),
// with FIFO-aware partial failures: a failed record fails the rest of its message group, other
// groups go on. Jobs of one invocation run concurrently, so nothing here is per job but what is
// made per job: each gets a child logger carrying its keys; metrics are only added to.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { emitDoraMetrics, parseDoraDimensions } from '../../shared/dora/cloudwatch.ts';
import type { DoraSink } from '../../shared/dora/sink.ts';
import { previewPublisher } from '../../shared/github/preview-check.ts';
import type { Job } from '../../shared/queue/job.ts';
import { parseJob } from '../../shared/queue/parse.ts';
import { DEFAULT_RETRY_BASE_SECONDS, retryLater } from '../../shared/queue/retry-later.ts';
import {
  chartFetcher,
  clusterConnector,
  eventSink,
  gitHub,
  gitHubHostOf,
  jobQueue,
  loadGitHubSecret,
  renderCache,
  sourceFetcher,
  sqsClient,
  stateStore,
  statusPoster,
  type Environment,
} from '../../shared/runtime/environment.ts';
import { functionTracer, tracingMiddleware, traced } from '../../shared/runtime/tracing.ts';
import { migrate, schemaTable } from '../../shared/state/schema.ts';
import type { WorkerDependencies } from '../../shared/worker/dependencies.ts';
import { NotDueYetError, RetryableJobError } from '../../shared/worker/errors.ts';
import { runJob } from '../../shared/worker/run-job.ts';
import { processGroups } from './process-groups.ts';

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'driftless' });
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Driftless',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'driftless',
});
// Before any client is built: the runtime captures its AWS SDK clients with it (a no-op outside Lambda).
const tracer = await functionTracer('worker');
const container = randomUUID();

interface Runtime {
  deps: WorkerDependencies;
  /** Makes a failed record visible again after its backoff rather than the queue's long timeout. */
  retryLater(receiptHandle: string, attempt: number, requestedSeconds?: number): Promise<void>;
}

let runtime: Promise<Runtime> | undefined;

export async function buildDependencies(env: Environment, sqs = sqsClient(env)): Promise<WorkerDependencies> {
  const secret = await loadGitHubSecret(env);
  const octokit = gitHub(env, secret);
  // Check runs as a GitHub App, commit statuses with a token, the console without GitHub; deployments as configured.
  const statuses = statusPoster(octokit, env, { secret, warn: (message, fields) => logger.warn(message, fields) });
  return {
    store: stateStore(env),
    queue: jobQueue(env, sqs),
    renders: renderCache(env),
    sources: sourceFetcher(octokit, env),
    charts: chartFetcher(env),
    statuses,
    previews: previewPublisher(octokit, { host: gitHubHostOf(env) }),
    events: eventSink(env),
    connect: clusterConnector(env),
    owner: container,
    // The infrastructure always sets it; 10 is its default.
    maxReceiveCount: Number(env.MAX_RECEIVE_COUNT ?? 10),
    configRepo: env.CONFIG_REPO_URL ? { repoURL: env.CONFIG_REPO_URL, dir: env.CONFIG_DIR ?? 'driftless' } : undefined,
    logger,
    dora: doraSink(env),
  };
}

/** DORA signals as EMF metrics, with the dimensions DORA_METRIC_DIMENSIONS opts in to (each is billed: shared/dora/cloudwatch.ts). */
function doraSink(env: Environment): DoraSink {
  const { dimensions, unknown } = parseDoraDimensions(env.DORA_METRIC_DIMENSIONS);
  if (unknown.length > 0) logger.warn('DORA_METRIC_DIMENSIONS: unknown dimensions ignored (app, cluster and env are known)', { unknown });
  return { record: (target, signals) => emitDoraMetrics(metrics, dimensions, target, signals) };
}

async function buildRuntime(env: Environment): Promise<Runtime> {
  const sqs = sqsClient(env);
  const base = Number(env.RETRY_BASE_SECONDS ?? DEFAULT_RETRY_BASE_SECONDS);
  const queueUrl = env.SYNC_QUEUE_URL;
  // Once per cold start, before any job touches the table; a failure fails the cold start,
  // so the record is retried and the next container tries again.
  if (env.STATE_TABLE) {
    const schema = await migrate(schemaTable(traced(new DynamoDBClient({})), env.STATE_TABLE));
    if (schema.applied.length > 0 || schema.newer) logger.info('table schema', { ...schema });
  }
  return {
    deps: await buildDependencies(env, sqs),
    async retryLater(receiptHandle, attempt, requested) {
      if ((base <= 0 && requested === undefined) || !queueUrl) return;
      await retryLater(sqs, queueUrl, receiptHandle, attempt, base, requested).catch((problem: unknown) =>
        logger.warn('backoff not set', { error: (problem as Error).message }),
      );
    },
  };
}

export async function worker(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  runtime ??= buildRuntime(process.env).catch((error: unknown) => {
    runtime = undefined; // a failed cold start must not poison the container
    throw error;
  });
  const { deps, retryLater: later } = await runtime;
  const handleRecord = async (record: SQSRecord) => {
    const job = parseJob(record.body);
    const attempt = Number(record.attributes.ApproximateReceiveCount ?? 1);
    const started = Date.now();
    // Not appendKeys on the shared logger: another job of the batch runs at the same time.
    const log = logger.createChild({ persistentKeys: logKeys(job) });
    try {
      const outcome = await runJob(job, { receiveCount: attempt, remainingMs: () => context.getRemainingTimeInMillis() }, { ...deps, logger: log });
      if (outcome === 'drifted') metrics.addMetric('DriftDetected', MetricUnit.Count, 1);
      if (outcome === 'drift-unknown') metrics.addMetric('DriftUnknown', MetricUnit.Count, 1);
      if (outcome === 'synced' || outcome === 'failed') {
        metrics.addMetric(outcome === 'synced' ? 'SyncSucceeded' : 'SyncFailed', MetricUnit.Count, 1);
        metrics.addMetric('SyncDuration', MetricUnit.Milliseconds, Date.now() - started);
      }
      log.info('job done', { outcome, durationMs: Date.now() - started });
    } catch (error) {
      if (error instanceof NotDueYetError) log.info('job waits', { reason: error.message, retryAfterSeconds: error.retryAfterSeconds });
      else log.warn('job will be retried', { error: (error as Error).message, attempt });
      await later(record.receiptHandle, attempt, error instanceof RetryableJobError ? error.retryAfterSeconds : undefined);
      throw error;
    }
  };
  // A record skipped after its group's failure is visible again at once: SQS FIFO hands out no
  // record of a group while an earlier one is in flight, so the failed record's backoff, not the
  // visibility timeout, decides when the group goes on, and in order.
  const visibleAgain = (record: SQSRecord) => later(record.receiptHandle, Number(record.attributes.ApproximateReceiveCount ?? 1), 0);
  return processGroups(event.Records, handleRecord, { context, onSkipped: visibleAgain });
}

/** The keys on every log line of a job: kind, target and revision, delivery id. */
function logKeys(job: Job): Record<string, string | undefined> {
  // A cluster scan names its cluster only: its apps are on the lines of their own results.
  if (job.kind === 'cluster-scan') return { jobKind: job.kind, cluster: job.cluster };
  // A rollout step names its set and the rollout (its commit); its targets are on the lines of their own syncs.
  if (job.kind === 'rollout') return { jobKind: job.kind, applicationSet: job.set, revision: job.id, deliveryId: job.deliveryId };
  const target =
    job.kind === 'registry-refresh'
      ? {}
      : job.kind === 'preview'
        ? { pullRequest: String(job.pullRequest), repoURL: job.repoURL }
        : { app: job.app, cluster: job.cluster };
  return { jobKind: job.kind, ...target, revision: job.revision, deliveryId: job.kind === 'drift-scan' ? undefined : job.deliveryId };
}

export const handler = middy(worker).use(tracingMiddleware(tracer)).use(injectLambdaContext(logger)).use(logMetrics(metrics));
