// The failure path the deployed worker runs: one job per invocation (the event source's batch
// size 1), a failed job made visible again after its backoff (ChangeMessageVisibility), not
// after the queue's long visibility timeout, and meanwhile the next job of another FIFO group
// runs. Real worker handler, real SQS API (fauxqs), a dead cluster and the sandbox.
import type { SQSEvent } from 'aws-lambda';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lambdaContext } from '../../local/lambda-context.ts';
import { pollQueue } from '../../local/queue-poller.ts';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import { writeDeadKubeconfig } from '../support/dead-cluster.ts';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';
import { REPO_URL, startPipeline, webApp, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
/** Long enough that a job coming back on its own timeout could not pass for a backoff. */
const VISIBILITY_TIMEOUT_SECONDS = 40;
const BACKOFF_SECONDS = 2;

let pipeline: Pipeline;
let deadKubeconfig: string;

beforeAll(async () => {
  pipeline = await startPipeline({ maxReceiveCount: 3, visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS });
  // Read when the worker builds its runtime, on its first invocation below.
  process.env.RETRY_BASE_SECONDS = String(BACKOFF_SECONDS);
  deadKubeconfig = await writeDeadKubeconfig(pipeline.sandbox.kubeconfig());
});
afterAll(async () => {
  await pipeline?.stop();
  await rm(deadKubeconfig, { force: true });
});

const application = (name: string, cluster: string, automated: boolean) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name} }
spec:
  source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/web }
  destination: { name: ${cluster}, namespace: ${name} }
  syncPolicy:
${automated ? '    automated: {}\n' : ''}    syncOptions: [CreateNamespace=true]
`;

interface Handled {
  target: string;
  attempt: number;
  failed: boolean;
  startedAt: number;
  endedAt: number;
}

it('retries a failed job after its backoff while the next job of another group proceeds', async () => {
  const registry = {
    'driftless/dead.yaml': `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: dead }\nspec:\n  kubeconfig: ${JSON.stringify({ context: 'dead', path: deadKubeconfig })}\n`,
    'driftless/sandbox.yaml': SANDBOX_CLUSTER,
    // Automated: the config push syncs it at once, and it fails (nothing listens there).
    'driftless/web.yaml': application('web', 'dead', true),
    // Manual: synced below, once web@dead's first attempt has failed.
    'driftless/api.yaml': application('api', 'sandbox', false),
  };
  const files = { ...registry, ...webApp('blue') };
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push(EMPTY, sha, { added: Object.keys(files) })).statusCode).toBe(202);

  const { handler: worker } = await import('../../functions/sync-worker/handler.ts');
  const handled: Handled[] = [];
  const errors: unknown[] = [];
  const queue = new SqsJobQueue({ client: pipeline.services.sqs, queueUrl: pipeline.services.queueUrl });
  let apiEnqueued = false;
  const controller = new AbortController();
  const polling = pollQueue({
    client: pipeline.services.sqs,
    queueUrl: pipeline.services.queueUrl,
    waitSeconds: 1,
    // As the event source mapping is configured (infra/constructs/sync-pipeline.ts).
    batchSize: 1,
    signal: controller.signal,
    onError: (error) => errors.push(error),
    handler: async (event: SQSEvent) => {
      expect(event.Records).toHaveLength(1);
      const [record] = event.Records;
      const job = JSON.parse(record.body) as { kind: string; app?: string; cluster?: string };
      const startedAt = Date.now();
      const response = await worker(event, lambdaContext('sync-worker'));
      const failed = (response?.batchItemFailures ?? []).length > 0;
      const target = job.kind === 'registry-refresh' ? 'registry' : `${job.app}@${job.cluster}`;
      handled.push({ target, attempt: Number(record.attributes.ApproximateReceiveCount), failed, startedAt, endedAt: Date.now() });
      if (target === 'web@dead' && failed && !apiEnqueued) {
        apiEnqueued = true;
        await queue.enqueue([{ kind: 'sync', app: 'api', cluster: 'sandbox', revision: sha, trigger: 'manual', enqueuedAt: new Date().toISOString() }]);
      }
      return response;
    },
  });

  const deadline = Date.now() + 30_000;
  try {
    while (!handled.some((entry) => entry.target === 'web@dead' && entry.attempt === 2)) {
      if (Date.now() > deadline) throw new Error(`web@dead never came back: ${JSON.stringify(handled)}; errors: ${errors.map(String).join('; ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    controller.abort();
    await polling;
  }

  const first = handled.find((entry) => entry.target === 'web@dead' && entry.attempt === 1);
  const second = handled.find((entry) => entry.target === 'web@dead' && entry.attempt === 2);
  expect(first?.failed).toBe(true);
  // (The config push also queued api@sandbox, held back as it is not automated; this is the manual sync.)
  const api = handled.find((entry) => entry.target === 'api@sandbox' && entry.startedAt >= first!.endedAt);
  // Another group's job ran, and succeeded, while web@dead waited out its backoff.
  expect(api).toMatchObject({ attempt: 1, failed: false });
  expect(api!.endedAt).toBeLessThanOrEqual(second!.startedAt);
  expect((await pipeline.store.getTarget('api', 'sandbox'))?.syncStatus).toBe('Synced');
  // Back after the backoff (SQS counts visibility in whole seconds), long before the queue's own timeout.
  const waited = (second!.startedAt - first!.endedAt) / 1000;
  expect(waited).toBeGreaterThanOrEqual(BACKOFF_SECONDS - 1);
  expect(waited).toBeLessThan(VISIBILITY_TIMEOUT_SECONDS / 2);
}, 60_000);
