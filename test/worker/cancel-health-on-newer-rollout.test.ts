// CancelHealthCheckOnNewRevision for a sync a rollout started: while it waits for health, a
// newer rollout of the same ApplicationSet takes the target over (its `rollout` mark names the
// newer rollout; the target's requested commit is still the job's). The old sync's wait ends
// within seconds, nothing more of it is applied, it is recorded as superseded by that rollout
// (OutOfSync, commit status `failure`), and it is not retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsJobQueue } from '../../shared/queue/sqs-job-queue.ts';
import type { SyncJob } from '../../shared/queue/job.ts';
import { liveColor, liveConfigMap, startPipeline, webApp, webDeployment, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const INVOCATION_MS = 180_000;
const TARGET = { app: 'web', cluster: 'sandbox' };

let pipeline: Pipeline;
let first: string;

beforeAll(async () => {
  pipeline = await startPipeline();
  first = await pipeline.repo.commit({ ...webRegistry(), ...webApp('blue') });
  await pipeline.push(EMPTY, first, { added: [...Object.keys(webRegistry()), ...Object.keys(webApp('blue'))] });
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first && (await pipeline.queueDepth()) === 0);
}, 60_000);
afterAll(() => pipeline?.stop());

async function until(done: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a newer rollout of the set while a rollout’s sync waits for health', () => {
  it('cancels the wait within seconds and records the sync as superseded by that rollout', async () => {
    const files = webApp('amber');
    // A new generation (3 replicas) the sandbox never makes ready, and a wave-1 ConfigMap behind it.
    files['apps/web/deploy.yaml'] = webDeployment(3).replace(
      'metadata: { name: web }',
      'metadata: { name: web, annotations: { sandbox.driftless.io/never-ready: "true" } }',
    );
    files['apps/web/later.yaml'] =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-later\n  annotations: { argocd.argoproj.io/sync-wave: "1" }\ndata: {}\n';
    const a = await pipeline.repo.commit(files);
    const newer = 'b'.repeat(40);
    const statusesBefore = pipeline.github.statuses.length;

    // As the rollout engine starts a step: the target marked, its sync requested and queued with the rollout's id.
    await pipeline.store.markRollout(TARGET, { set: 'guestbook', id: a, revision: a });
    await pipeline.store.requestSync(TARGET, a);
    const job: SyncJob = {
      kind: 'sync',
      ...TARGET,
      revision: a,
      ref: 'main',
      trigger: 'push',
      enqueuedAt: new Date().toISOString(),
      rollout: { set: 'guestbook', id: a },
    };
    await new SqsJobQueue({ client: pipeline.services.sqs, queueUrl: pipeline.services.queueUrl }).enqueue([job]);

    const running = pipeline.workOnce(5, INVOCATION_MS);
    await until(async () => (await liveColor(pipeline)) === 'amber', 30_000, "the rollout sync's first wave");
    await new Promise((resolve) => setTimeout(resolve, 500));
    // A newer rollout of the set holds the target now; its requested commit is untouched.
    await pipeline.store.markRollout(TARGET, { set: 'guestbook', id: newer, revision: a });
    const markedAt = Date.now();

    const handled = await running;
    expect(Date.now() - markedAt).toBeLessThan(INVOCATION_MS / 6);
    expect(handled?.response?.batchItemFailures ?? []).toEqual([]);
    const message = `health check cancelled: ${a.slice(0, 7)} (rollout ${a.slice(0, 7)} of guestbook) superseded by rollout bbbbbbb`;
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ syncStatus: 'OutOfSync', message, revision: first, requestedRevision: a });
    expect(await liveConfigMap(pipeline, 'shop', 'web-later')).toBeUndefined();
    const history = await pipeline.store.listHistory('web', 'sandbox', 10);
    expect(history.map((entry) => [entry.revision, entry.status])).toEqual([
      [a, 'OutOfSync'],
      [first, 'Synced'],
    ]);
    const statuses = pipeline.github.statuses.slice(statusesBefore).filter((status) => status.context === 'driftless/web@sandbox');
    expect(statuses.map((status) => [status.sha, status.state, status.description])).toEqual([
      [a, 'pending', 'Syncing web to sandbox'],
      [a, 'failure', 'superseded by rollout bbbbbbb while waiting for health: health check cancelled'],
    ]);
  });
});
