// Sync windows through the real pipeline: the webhook handler, the queue, the worker's job
// handling and the drift-scan planner on the embedded services and the sandbox cluster, with
// the clock injected (the worker's and the planner's `now`), so nothing waits for 01:10 UTC.
//
// Two projects deny syncs from 01:10 to 02:10 UTC every day (Argo CD's documented
// `10 1 * * *` for 1h): `frozen` (web, in shop) without manualSync, `on-call` (api, in ops)
// with it. What must hold, as Argo CD's sync windows documentation states it:
//   - a push inside the deny window is not applied; its commit status says it waits and when
//     the window opens; once the clock is past the window, the schedule syncs it;
//   - self-heal does not heal inside the window, and heals once it is open;
//   - a manual sync inside it goes through with manualSync, and is refused without it.
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planScans, type ScanPlan, type ScheduleDependencies } from '../../shared/drift/plan-scans.ts';
import { parseJob } from '../../shared/queue/parse.ts';
import type { WorkerDependencies } from '../../shared/worker/dependencies.ts';
import { RetryableJobError } from '../../shared/worker/errors.ts';
import { runJob, type JobOutcome } from '../../shared/worker/run-job.ts';
import { kubectlFor, type Kubectl } from '../support/kubectl.ts';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';
import { appDocument, liveColor, REPO_URL, startPipeline, webApp, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const WAITING = "waiting for the sync window deny '10 1 * * *' 1h, opens at";

const registry = {
  'driftless/clusters.yaml': SANDBOX_CLUSTER,
  'driftless/projects.yaml': `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: frozen, namespace: argocd }
spec:
  sourceRepos: ['*']
  destinations: [{ name: '*', namespace: '*' }]
  clusterResourceWhitelist: [{ group: '', kind: Namespace }]
  syncWindows:
  - kind: deny
    schedule: '10 1 * * *'
    duration: 1h
    applications: ['*']
---
apiVersion: driftless.io/v1alpha1
kind: Project
metadata: { name: on-call }
spec:
  clusterResourceWhitelist: [{ group: '', kind: Namespace }]
  syncWindows:
  - { kind: deny, schedule: '10 1 * * *', duration: 1h, namespaces: [ops], manualSync: true }
`,
  'driftless/web.yaml': appDocument({ name: 'web', project: 'frozen', namespace: 'shop' }),
  'driftless/api.yaml': `apiVersion: driftless.io/v1alpha1
kind: Application
metadata: { name: api }
spec:
  project: on-call
  source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/api }
  destination: { name: sandbox, namespace: ops }
  syncPolicy:
    automated: { prune: true }
    syncOptions: [CreateNamespace=true]
`,
};
const apps = (color: string) => ({
  ...webApp(color),
  'apps/api/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: api-config }\ndata: { color: ${color} }\n`,
});

let pipeline: Pipeline;
let kubectl: Kubectl;
let worker: WorkerDependencies;
let schedule: ScheduleDependencies;
let clock = new Date('2025-05-31T12:00:00Z');
let head: string;

/** The worker's job handling on every message in the queue, in order, at the injected clock. */
async function work(): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (;;) {
    const { Messages = [] } = await pipeline.services.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: pipeline.services.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) return outcomes;
    for (const message of Messages) {
      try {
        outcomes.push(
          await runJob(
            parseJob(message.Body ?? ''),
            { receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1), remainingMs: () => 120_000 },
            worker,
          ),
        );
      } catch (error) {
        if (error instanceof RetryableJobError) throw new Error(`a job failed in this test: ${error.message}`, { cause: error });
        throw error;
      }
      await pipeline.services.sqs.send(new DeleteMessageCommand({ QueueUrl: pipeline.services.queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

/** The schedule at the injected clock, then the work it queued. */
async function scheduleAndWork(): Promise<ScanPlan> {
  const plan = await planScans(schedule);
  await work();
  return plan;
}

async function pushApps(color: string): Promise<string> {
  const before = head;
  head = await pipeline.repo.commit(apps(color));
  const response = await pipeline.push(before, head, { modified: Object.keys(apps(color)) });
  expect(response.statusCode).toBe(202);
  return head;
}

/** What the sync worker did ask the GitHub API to post on `sha`, in order. */
function statusesOf(sha: string, context = 'driftless/web@sandbox'): Array<[string, string]> {
  return pipeline.github.statuses
    .filter((status) => status.sha === sha && status.context === context)
    .map((status) => [status.state, status.description ?? '']);
}

async function apiColor(): Promise<string> {
  return (await kubectl(['get', 'configmap/api-config', '-n', 'ops', '-o', 'jsonpath={.data.color}'])).stdout;
}

beforeAll(async () => {
  pipeline = await startPipeline();
  kubectl = await kubectlFor(pipeline.sandbox.kubeconfig());
  // Imported once the pipeline has set the environment their loggers read.
  const { buildDependencies: buildWorkerDependencies } = await import('../../functions/sync-worker/handler.ts');
  const { buildDependencies: buildScheduleDependencies } = await import('../../functions/drift-scan/handler.ts');
  worker = { ...(await buildWorkerDependencies(process.env)), now: () => clock };
  schedule = { ...(await buildScheduleDependencies(process.env)), now: () => clock };
  // At noon the day before, no window is active: the first commit syncs as usual.
  head = await pipeline.repo.commit({ ...registry, ...apps('blue') });
  await pipeline.push(EMPTY, head, { added: [...Object.keys(registry), ...Object.keys(apps('blue'))] });
  await work();
  expect(await liveColor(pipeline)).toBe('blue');
  expect(await apiColor()).toBe('blue');
}, 120_000);
afterAll(() => pipeline?.stop());

describe('a push inside a deny window', () => {
  let green: string;

  it('is recorded, not applied, and its commit status says it waits and when the window opens', async () => {
    clock = new Date('2025-06-01T01:30:00Z');
    pipeline.sandbox.requests.clear();
    green = await pushApps('green');
    await work();

    expect(await liveColor(pipeline)).toBe('blue');
    const writes = pipeline.sandbox.requests.entries().filter((request) => ['PATCH', 'PUT', 'POST', 'DELETE'].includes(request.method));
    expect(writes).toEqual([]);
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({
      requestedRevision: green,
      syncStatus: 'OutOfSync',
      message: `${WAITING} 2025-06-01T02:10:00Z`,
      windowWait: { revision: green, trigger: 'push', opensAt: '2025-06-01T02:10:00.000Z' },
    });
    expect((await pipeline.store.getTarget('web', 'sandbox'))?.revision).not.toBe(green);
    expect(statusesOf(green)).toEqual([['pending', `${WAITING} 2025-06-01T02:10:00Z`]]);
  });

  it('still waits when the schedule runs inside the window', async () => {
    clock = new Date('2025-06-01T02:05:00Z');
    const plan = await scheduleAndWork();
    expect(plan.windowsOpened).toEqual([]);
    expect(await liveColor(pipeline)).toBe('blue');
  });

  it('syncs at the first schedule once the window is open, with the trigger it had', async () => {
    clock = new Date('2025-06-01T02:10:00Z');
    const plan = await scheduleAndWork();
    expect(plan.windowsOpened).toContainEqual({ app: 'web', cluster: 'sandbox', revision: green });

    expect(await liveColor(pipeline)).toBe('green');
    const target = await pipeline.store.getTarget('web', 'sandbox');
    expect(target).toMatchObject({ revision: green, syncStatus: 'Synced', health: 'Healthy' });
    expect(target).not.toHaveProperty('windowWait');
    expect(statusesOf(green).map(([state]) => state)).toEqual(['pending', 'pending', 'success']);
    const [latest] = await pipeline.store.listHistory('web', 'sandbox', 1);
    expect(latest).toMatchObject({ revision: green, status: 'Synced', reason: 'push' });
  });
});

describe('self-heal and a deny window', () => {
  it('records drift inside the window without healing it, and heals once the window is open', async () => {
    clock = new Date('2025-06-02T01:20:00Z');
    expect((await kubectl(['patch', 'configmap/web-config', '-n', 'shop', '--type=merge', '-p', '{"data":{"color":"hand-edited"}}'])).code).toBe(0);
    await scheduleAndWork();
    expect(await liveColor(pipeline)).toBe('hand-edited');
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ driftStatus: 'Drifted' });

    clock = new Date('2025-06-02T02:15:00Z');
    await scheduleAndWork();
    // The scan at 02:15 heals; the next one finds the cluster equal to Git again.
    clock = new Date('2025-06-02T02:25:00Z');
    await scheduleAndWork();
    expect(await liveColor(pipeline)).toBe('green');
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ driftStatus: 'InSync' });
  });
});

describe('a manual sync inside a deny window', () => {
  /** What `driftless sync APP` does: claim the commit on the target, then enqueue a manual job. */
  async function requestManualSync(app: string, revision: string): Promise<number> {
    const seq = await worker.store.requestSync({ app, cluster: 'sandbox' }, revision);
    await worker.queue.enqueue([{ kind: 'sync', app, cluster: 'sandbox', revision, ref: 'main', trigger: 'manual', enqueuedAt: clock.toISOString() }]);
    return seq;
  }

  it('goes through where the window has manualSync, and is refused where it has not, with the reason as its result', async () => {
    clock = new Date('2025-06-03T01:30:00Z');
    const amber = await pushApps('amber');
    await work();
    // Both pushes wait: manualSync lets manual syncs through, not automated ones.
    expect(await liveColor(pipeline)).toBe('green');
    expect(await apiColor()).toBe('green');
    expect(await pipeline.store.getTarget('api', 'sandbox')).toMatchObject({ windowWait: { revision: amber } });

    const apiSeq = await requestManualSync('api', amber);
    const webSeq = await requestManualSync('web', amber);
    await work();

    expect(await apiColor()).toBe('amber');
    const api = await pipeline.store.getTarget('api', 'sandbox');
    expect(api).toMatchObject({ revision: amber, syncStatus: 'Synced' });
    expect(api?.appliedSeq).toBeGreaterThanOrEqual(apiSeq);

    // The refusal is web's recorded result for the request (what `driftless sync --wait` reads), nothing applied.
    expect(await liveColor(pipeline)).toBe('green');
    const web = await pipeline.store.getTarget('web', 'sandbox');
    expect(web?.appliedSeq).toBeGreaterThanOrEqual(webSeq);
    expect(web).toMatchObject({ syncStatus: 'Failed' });
    expect(web?.message).toContain(
      "manual sync refused: the sync window deny '10 1 * * *' 1h denies syncs now, and it does not allow manual syncs (manualSync is off)",
    );
    expect(statusesOf(amber).at(-1)).toEqual([
      'failure',
      "manual sync refused: the sync window deny '10 1 * * *' 1h denies syncs now, and it does not allow manual syncs (manualSync is off)",
    ]);

    // The push of the same commit still waits, and the schedule syncs it once the window is open.
    expect(web).toMatchObject({ windowWait: { revision: amber, trigger: 'push' } });
    clock = new Date('2025-06-03T02:10:00Z');
    await scheduleAndWork();
    expect(await liveColor(pipeline)).toBe('amber');
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ revision: amber, syncStatus: 'Synced' });
  });
});

describe('two pushes inside a deny window', () => {
  it('leave no commit pending forever: the older one is superseded, the newer one waits and syncs when the window opens', async () => {
    clock = new Date('2025-06-04T01:30:00Z');
    const red = await pushApps('red');
    await work();
    const pink = await pushApps('pink');
    await work();

    expect(statusesOf(red)).toEqual([
      ['pending', `${WAITING} 2025-06-04T02:10:00Z`],
      ['failure', `superseded by ${pink.slice(0, 7)} before it was applied: not applied`],
    ]);
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ windowWait: { revision: pink } });

    clock = new Date('2025-06-04T02:10:00Z');
    await scheduleAndWork();
    expect(await liveColor(pipeline)).toBe('pink');
    expect(statusesOf(pink).at(-1)?.[0]).toBe('success');
  });
});
