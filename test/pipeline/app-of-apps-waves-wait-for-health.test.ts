// App-level sync waves (issue 13 item 7): children carrying argocd.argoproj.io/sync-wave sync
// wave by wave, and wave N+1 starts only when every child of wave N is Synced AND Healthy at
// the commit (Argo CD's app waves have not waited on health since 1.8: ours do). A child of
// wave 1 slow to become healthy holds wave 2; a Degraded one halts it, and the parent's
// status names it. Real webhook, queue, worker, dynalite and sandbox; the test plays the
// Deployment controller for the slow child, writing its status through the status subresource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import type { KubeObject } from '../../shared/kube/object.ts';
import type { LoggedRequest } from '../../local/sandbox/request-log.ts';
import { childApp, childManifests, rootApp } from '../support/app-of-apps.ts';
import { sandboxWrites, startPipeline, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

/** A Deployment the sandbox's controller starts rolling out and never makes ready. */
function stuckDeployment(name: string): Record<string, string> {
  return {
    [`apps/${name}/deploy.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations: { sandbox.driftless.io/never-ready: "true" }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: ${name}, image: "postgres:17" }] }
`,
  };
}

/** A Job the sandbox's controller fails (BackoffLimitExceeded): Degraded. */
function failingJob(name: string): Record<string, string> {
  return {
    [`apps/${name}/job.yaml`]: `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations: { sandbox.driftless.io/fail: "true" }
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: ${name}, image: "busybox:1.37", command: ["false"] }]
`,
  };
}

let pipeline: Pipeline;
let client: KubeClient;
beforeAll(async () => {
  pipeline = await startPipeline();
  client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
});
afterAll(async () => {
  client?.close();
  await pipeline?.stop();
});

/** Writes of the child deploying to namespace `name`: its namespace and the objects in it. */
function writesOf(name: string): LoggedRequest[] {
  return sandboxWrites(pipeline).filter((entry) => entry.namespace === name || (entry.resource === 'namespaces' && entry.name === name));
}

async function until(done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not there in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function rootStatuses(sha: string) {
  return pipeline.github.statuses.filter((status) => status.context === 'driftless/root@sandbox' && status.sha === sha);
}

/** What kube-controller-manager writes once the rollout is done: every replica updated, ready and available. */
async function finishRollout(namespace: string, name: string): Promise<void> {
  const path = `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;
  const live = await client.get<KubeObject & { metadata: { generation: number } }>(path);
  const status = {
    observedGeneration: live.metadata.generation,
    replicas: 1,
    updatedReplicas: 1,
    readyReplicas: 1,
    availableReplicas: 1,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}" has successfully progressed.` },
    ],
  };
  await client.request({ method: 'PUT', path: `${path}/status`, body: { ...live, status } });
}

describe('app-level sync waves', () => {
  let first: string;

  it('start wave 2 only once wave 1 is Synced and Healthy: a slow child holds it', async () => {
    const files = {
      ...rootApp(),
      'apps/root/db.yaml': childApp('db', { wave: 1 }),
      'apps/root/web.yaml': childApp('web', { wave: 2 }),
      ...childManifests('db'),
      ...stuckDeployment('db'),
      ...childManifests('web'),
    };
    first = await pipeline.repo.commit(files);
    await pipeline.push(EMPTY, first, { added: Object.keys(files) });
    const worker = pipeline.startWorker();
    try {
      // Wave 1 is applied and waits for its Deployment.
      await until(
        async () =>
          (await pipeline.store.getTarget('db', 'sandbox'))?.syncStatus === 'Syncing' && writesOf('db').some((entry) => entry.resource === 'deployments'),
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(writesOf('web')).toEqual([]);
      expect(await pipeline.store.getTarget('web', 'sandbox')).toBeUndefined();
      expect(rootStatuses(first).at(-1)).toMatchObject({ state: 'pending', description: expect.stringContaining('waiting for db') });

      const ready = pipeline.sandbox.requests.entries().length;
      await finishRollout('db', 'db');
      await until(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first);
      await until(async () => rootStatuses(first).at(-1)?.state === 'success');

      // Wave 2's first write came after wave 1's child became Healthy, and db was Healthy at the commit then.
      const firstWebWrite = writesOf('web')[0];
      expect(firstWebWrite.seq).toBeGreaterThan(pipeline.sandbox.requests.entries()[ready].seq);
      const [dbSync] = await pipeline.store.listHistory('db', 'sandbox', 1);
      expect(dbSync).toMatchObject({ revision: first, status: 'Synced', health: 'Healthy' });
      expect(Date.parse(firstWebWrite.time)).toBeGreaterThanOrEqual(Date.parse(dbSync.finishedAt));
    } finally {
      await worker.stop();
    }
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ syncStatus: 'Synced', health: 'Healthy' });
    expect(rootStatuses(first).at(-1)?.description).toBe('Synced; 2 children Synced and Healthy (waves 1, 2)');
  });

  it('halt at a Degraded child: later waves are not started and the parent says which child stopped them', async () => {
    const files = {
      'apps/root/migrate.yaml': childApp('migrate', { wave: 1 }),
      'apps/root/api.yaml': childApp('api', { wave: 2 }),
      ...failingJob('migrate'),
      ...childManifests('api'),
    };
    const second = await pipeline.repo.commit(files);
    await pipeline.push(first, second, { added: Object.keys(files) });
    await pipeline.work(async () => (await pipeline.store.getTarget('root', 'sandbox'))?.message?.startsWith('wave 1 halted') === true);

    // A failed sync is recorded for the commit asked for (the applied revision stays what it was).
    expect(await pipeline.store.getTarget('migrate', 'sandbox')).toMatchObject({ requestedRevision: second, syncStatus: 'Failed', health: 'Degraded' });
    expect((await pipeline.store.listHistory('migrate', 'sandbox', 1))[0]).toMatchObject({ revision: second, status: 'Failed', health: 'Degraded' });
    const reason = `wave 1 halted: migrate@sandbox failed to sync at ${second.slice(0, 7)}; later waves wait`;
    expect((await pipeline.store.getTarget('root', 'sandbox'))?.message).toBe(reason);
    expect(rootStatuses(second).at(-1)).toMatchObject({ state: 'failure', description: reason });
    // Nothing of wave 2 was requested or written, even with the queue drained.
    await pipeline.work(async () => (await pipeline.queueDepth()) === 0);
    expect(await pipeline.store.getTarget('api', 'sandbox')).toBeUndefined();
    expect(writesOf('api')).toEqual([]);
    // The children of the first commit were not part of this rollout.
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ revision: first });
  });
});
