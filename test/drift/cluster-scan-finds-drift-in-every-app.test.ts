// A cluster of 20 apps (a ConfigMap, a Service and a ServiceAccount each, one namespace each)
// through the real handlers: one schedule run sends ONE cluster-scan job, which reads each
// kind with one LIST across the cluster, finds the drift injected in every app, and records
// it as the per-target scan does; a target a sync holds the lease of is left for the next
// scan; self-heal still heals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '../../local/lambda-context.ts';
import type { ScanPlan } from '../../shared/drift/plan-scans.ts';
import { scanTarget } from '../../shared/drift/scan-target.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import type { AppSpec, ClusterSpec } from '../../shared/config/types.ts';
import { appDocument, startPipeline, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const APPS = Array.from({ length: 20 }, (_, index) => `app-${String(index + 1).padStart(2, '0')}`);
const KINDS = ['configmaps', 'services', 'serviceaccounts'];

function registry(selfHeal: readonly string[] = []): Record<string, string> {
  const files: Record<string, string> = {
    'driftless/clusters.yaml': 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: sandbox }\nspec:\n  kubeconfig: { context: sandbox }\n',
  };
  for (const app of APPS)
    files[`driftless/${app}.yaml`] = appDocument({
      name: app,
      namespace: `ns-${app}`,
      automated: `{ prune: false, selfHeal: ${selfHeal.includes(app)} }`,
    });
  return files;
}

function manifests(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const app of APPS)
    files[`apps/${app}/objects.yaml`] = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { color: blue }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: runner }
`;
  return files;
}

let pipeline: Pipeline;
let client: KubeClient;
let schedule: (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<ScanPlan>;
let first: string;

beforeAll(async () => {
  pipeline = await startPipeline();
  process.env.DRIFT_INTERVAL_SECONDS = '1';
  schedule = (await import('../../functions/drift-scan/handler.ts')).handler as never;
  client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  const files = { ...registry(), ...manifests() };
  first = await pipeline.repo.commit(files);
  await pipeline.push(EMPTY, first, { added: Object.keys(files) });
  await pipeline.work(
    async () => (await Promise.all(APPS.map((app) => pipeline.store.getTarget(app, 'sandbox')))).every((target) => target?.revision === first),
    120_000,
  );
}, 180_000);
afterAll(async () => {
  client?.close();
  await pipeline?.stop();
});

/** Runs the schedule in a scan period of its own and works the queue until it is empty. */
async function scheduleAndWork(until: () => Promise<boolean> = async () => true): Promise<ScanPlan> {
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const plan = await schedule({ source: 'aws.scheduler' }, lambdaContext('drift-scan'));
  await pipeline.work(async () => (await pipeline.queueDepth()) === 0 && (await until()), 60_000);
  return plan;
}

async function recolor(app: string, color: string): Promise<void> {
  await client.request({
    method: 'PATCH',
    path: `/api/v1/namespaces/ns-${app}/configmaps/settings`,
    query: { fieldManager: 'tester' },
    contentType: 'application/merge-patch+json',
    body: { data: { color } },
  });
}

async function color(app: string): Promise<string | undefined> {
  return (await client.get<{ data?: { color?: string } }>(`/api/v1/namespaces/ns-${app}/configmaps/settings`)).data?.color;
}

function events(type: string, app: string): Array<Record<string, unknown>> {
  return pipeline.eventBridge.entries
    .filter((entry) => entry.DetailType === type)
    .map((entry) => JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>)
    .filter((detail) => detail.app === app);
}

/** What the drift record of an app must say: its ConfigMap recoloured by `tester`, and for even apps its ServiceAccount deleted. */
function expectedDrift(app: string) {
  const even = Number(app.slice(-2)) % 2 === 0;
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', namespace: `ns-${app}`, name: 'settings', reason: 'modified: .data.color by tester' },
    ...(even ? [{ apiVersion: 'v1', kind: 'ServiceAccount', namespace: `ns-${app}`, name: 'runner', reason: 'missing' }] : []),
  ];
}

const byKind = (a: { kind: string }, b: { kind: string }) => a.kind.localeCompare(b.kind);

describe('a cluster scan', () => {
  it('finds the drift of every app of the cluster in one job, with one LIST per kind', async () => {
    for (const app of APPS) {
      await recolor(app, 'red');
      if (Number(app.slice(-2)) % 2 === 0) await client.request({ method: 'DELETE', path: `/api/v1/namespaces/ns-${app}/serviceaccounts/runner` });
    }
    pipeline.sandbox.requests.clear();
    const plan = await scheduleAndWork();
    expect(plan).toMatchObject({ scans: 20, clusters: 1, missedPushes: [] });

    const requests = pipeline.sandbox.requests.entries();
    for (const resource of KINDS) {
      const lists = requests.filter((entry) => entry.verb === 'list' && entry.resource === resource);
      // One LIST of the whole cluster per kind, paged, and no GET per object.
      expect(lists.map((entry) => entry.path)).toEqual([`/api/v1/${resource}`]);
      expect(lists[0].query.limit).toBe('500');
      expect(requests.filter((entry) => entry.verb === 'get' && entry.resource === resource)).toEqual([]);
    }

    for (const app of APPS) {
      const target = await pipeline.store.getTarget(app, 'sandbox');
      const expected = expectedDrift(app);
      expect(target).toMatchObject({ driftStatus: 'Drifted', driftedCount: expected.length, revision: first });
      expect([...(target?.driftedObjects ?? [])].sort(byKind)).toEqual(expected);
      const detected = events('Drift Detected', app);
      expect(detected).toHaveLength(1);
      expect(detected[0]).toMatchObject({ app, cluster: 'sandbox', revision: first, syncStatus: 'OutOfSync', driftedCount: expected.length });
      // selfHeal is off: nothing was put back.
      expect(await color(app)).toBe('red');
    }
  }, 120_000);

  it('records what the per-target scan records: a per-target scan afterwards finds nothing to write', async () => {
    const { buildDependencies } = await import('../../functions/sync-worker/handler.ts');
    const deps = await buildDependencies(process.env);
    const record = (await pipeline.store.getRegistry())!.registry;
    const cluster = record.clusters.find((candidate) => candidate.name === 'sandbox') as ClusterSpec;
    for (const name of ['app-03', 'app-04']) {
      const app = record.apps.find((candidate) => candidate.name === name) as AppSpec;
      const before = await pipeline.store.getTarget(name, 'sandbox');
      const scan = await scanTarget(
        { kind: 'drift-scan', app: name, cluster: 'sandbox', revision: first, enqueuedAt: new Date().toISOString(), schedulePeriod: Date.now() },
        app,
        cluster,
        deps,
      );
      expect(scan).toMatchObject({ outcome: 'scanned', recorded: false, report: { status: 'Drifted' } });
      expect(await pipeline.store.getTarget(name, 'sandbox')).toEqual(before);
      expect(events('Drift Detected', name)).toHaveLength(1);
    }
  }, 60_000);

  it('leaves a target whose sync holds the lease, and scans it the next time once released', async () => {
    // New drift in both: their Services deleted.
    for (const app of ['app-05', 'app-06']) await client.request({ method: 'DELETE', path: `/api/v1/namespaces/ns-${app}/services/web` });
    const service = (app: string) => ({ apiVersion: 'v1', kind: 'Service', namespace: `ns-${app}`, name: 'web', reason: 'missing' });
    const held = { app: 'app-05', cluster: 'sandbox' };
    expect(await pipeline.store.acquireLease(held, 'a-sync-elsewhere', 60_000)).toBe(true);
    const before = await pipeline.store.getTarget('app-05', 'sandbox');
    await scheduleAndWork();
    // app-06, not held, has its new drift recorded; app-05 is not scanned: nothing of it is written.
    expect(await pipeline.store.getTarget('app-05', 'sandbox')).toEqual(before);
    expect([...((await pipeline.store.getTarget('app-06', 'sandbox'))?.driftedObjects ?? [])].sort(byKind)).toEqual(
      [...expectedDrift('app-06'), service('app-06')].sort(byKind),
    );

    expect(await pipeline.store.releaseLease(held, 'a-sync-elsewhere')).toBe(true);
    await scheduleAndWork();
    const after = await pipeline.store.getTarget('app-05', 'sandbox');
    expect([...(after?.driftedObjects ?? [])].sort(byKind)).toEqual([...expectedDrift('app-05'), service('app-05')].sort(byKind));
    expect(after?.driftedCount).toBe(2);
  }, 60_000);

  it('still heals the apps with selfHeal on', async () => {
    const second = await pipeline.repo.commit(registry(['app-19']));
    await pipeline.push(first, second, { modified: ['driftless/app-19.yaml'] });
    // The registry change syncs app-19 again; the schedule finds the other apps behind the new
    // head (missed pushes, not scanned while they catch up) and syncs them: every object is back.
    await pipeline.work(async () => (await pipeline.store.getRegistry())?.revision === second, 60_000);
    const atSecond = async () =>
      (await Promise.all(APPS.map((app) => pipeline.store.getTarget(app, 'sandbox')))).every((target) => target?.revision === second);
    const catchUp = await scheduleAndWork(atSecond);
    expect(catchUp.missedPushes.length).toBeGreaterThan(0);
    expect(await color('app-20')).toBe('blue');
    await recolor('app-19', 'red');
    await recolor('app-20', 'red');
    await scheduleAndWork(async () => (await color('app-19')) === 'blue');
    expect(await color('app-19')).toBe('blue');
    // app-20 has selfHeal off: its drift stays.
    expect(await color('app-20')).toBe('red');
    const healed = await pipeline.store.getTarget('app-19', 'sandbox');
    expect(healed?.selfHealRecords?.length).toBeGreaterThan(0);
    // The sync that put it back is a self-heal, the only one of this scan.
    expect(events('Sync Succeeded', 'app-19').map((detail) => detail.reason)).toContain('self-heal');
    expect(events('Sync Succeeded', 'app-20').map((detail) => detail.reason)).not.toContain('self-heal');
  }, 120_000);
});
