// The whole loop through the real handlers: the schedule (drift-scan handler) plans, the sync
// worker scans each target, records drift, announces it once, heals it, and
// catches up with a push whose webhook never arrived.
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanPlan } from '../../shared/drift/plan-scans.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { kubectlFor, type Kubectl } from '../support/kubectl.ts';
import { lambdaContext } from '../../local/lambda-context.ts';
import { appDocument, REPO_URL, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

const registry = {
  ...webRegistry(),
  'driftless/api.yaml': appDocument({ name: 'api', namespace: 'ops', automated: '{ prune: false, selfHeal: false }' }),
};
const apps = (color: string) => ({
  ...webApp(color),
  'apps/api/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: api-config, labels: { tier: backend } }\ndata: { mode: fast }\n',
});

let pipeline: Pipeline;
let client: KubeClient;
let kubectl: Kubectl;
let schedule: (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<ScanPlan>;
let first: string;

beforeAll(async () => {
  pipeline = await startPipeline();
  // One-second periods, so that consecutive schedules in a test are separate scan periods.
  process.env.DRIFT_INTERVAL_SECONDS = '1';
  schedule = (await import('../../functions/drift-scan/handler.ts')).handler as never;
  client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  kubectl = await kubectlFor(pipeline.sandbox.kubeconfig());
  first = await pipeline.repo.commit({ ...registry, ...apps('blue') });
  await pipeline.push(EMPTY, first, { added: [...Object.keys(registry), ...Object.keys(apps('blue'))] });
  await pipeline.work(
    async () =>
      (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first && (await pipeline.store.getTarget('api', 'sandbox'))?.revision === first,
  );
});
afterAll(async () => {
  client?.close();
  await pipeline?.stop();
});

/** Runs the schedule once, in a scan period of its own, and works the queue until it is empty. */
async function scheduleAndWork(until: () => Promise<boolean> = async () => true): Promise<ScanPlan> {
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const plan = await schedule({ source: 'aws.scheduler' }, lambdaContext('drift-scan'));
  await pipeline.work(async () => (await drained()) && (await until()));
  return plan;
}

async function drained(): Promise<boolean> {
  const { Attributes } = await pipeline.services.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: pipeline.services.queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) === 0;
}

function events(type: string, app: string): Array<Record<string, unknown>> {
  return pipeline.eventBridge.entries
    .filter((entry) => entry.DetailType === type)
    .map((entry) => JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>)
    .filter((detail) => detail.app === app);
}

async function replicas(): Promise<number> {
  return (await client.get<{ spec: { replicas: number } }>('/apis/apps/v1/namespaces/shop/deployments/web')).spec.replicas;
}

describe('the drift schedule', () => {
  it('finds nothing after a clean sync, and writes nothing for it', async () => {
    const before = await pipeline.store.getTarget('api', 'sandbox');
    const plan = await scheduleAndWork();
    expect(plan).toMatchObject({ scans: 2, missedPushes: [], registryBehind: false });
    const after = await pipeline.store.getTarget('api', 'sandbox');
    expect(after).toMatchObject({ driftStatus: 'InSync', revision: first });
    expect(events('Drift Detected', 'api')).toEqual([]);
    // The first scan records InSync; nothing else is written.
    expect(after?.driftedObjects).toBeUndefined();
    expect(before?.driftStatus).toBeUndefined();
  });

  it('announces a drift that persists over two scans once, and does not rewrite its state', async () => {
    expect((await kubectl(['label', '--overwrite', 'configmap/api-config', 'tier=frontend', '-n', 'ops'])).code).toBe(0);
    await scheduleAndWork(async () => (await pipeline.store.getTarget('api', 'sandbox'))?.driftStatus === 'Drifted');
    const drifted = await pipeline.store.getTarget('api', 'sandbox');
    expect(drifted).toMatchObject({
      driftStatus: 'Drifted',
      driftedCount: 1,
      driftedObjects: [
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ops', name: 'api-config', reason: 'modified: .metadata.labels.tier by kubectl-label' },
      ],
    });
    expect(drifted?.driftFirstSeenAt).toBeDefined();

    await scheduleAndWork();
    const again = await pipeline.store.getTarget('api', 'sandbox');
    expect(again?.updatedAt).toBe(drifted?.updatedAt);
    const detected = events('Drift Detected', 'api');
    expect(detected).toHaveLength(1);
    expect(detected[0]).toMatchObject({
      app: 'api',
      cluster: 'sandbox',
      revision: first,
      syncStatus: 'OutOfSync',
      driftedCount: 1,
      driftedObjects: [{ kind: 'ConfigMap', name: 'api-config' }],
    });
    // No self-heal without selfHeal: the label stays as kubectl left it.
    expect(events('Sync Started', 'api')).toHaveLength(1);
    expect(again?.selfHealRecords).toBeUndefined();
  });

  it('heals a drifted target with selfHeal, with what it healed recorded, and the next scan resolves it once', async () => {
    expect((await kubectl(['scale', 'deployment/web', '--replicas=5', '-n', 'shop'])).code).toBe(0);
    await scheduleAndWork(async () => (await replicas()) === 2 && (await pipeline.store.getTarget('web', 'sandbox'))?.syncStatus === 'Synced');
    const healed = await pipeline.store.getTarget('web', 'sandbox');
    // What was healed is kept (one record, as a hash) so that a repeat is told from new drift.
    expect(healed).toMatchObject({ driftStatus: 'Drifted', revision: first, selfHealRecords: [{ attempts: 1, healedAt: healed?.lastScannedAt }] });
    expect(events('Drift Detected', 'web')).toHaveLength(1);
    expect(events('Sync Succeeded', 'web').map((detail) => detail.reason)).toEqual(['config', 'self-heal']);

    await scheduleAndWork(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.driftStatus === 'InSync');
    await scheduleAndWork();
    const resolved = await pipeline.store.getTarget('web', 'sandbox');
    expect(resolved?.selfHealRecords).toBeUndefined();
    expect(resolved?.driftedObjects).toBeUndefined();
    expect(events('Drift Resolved', 'web')).toHaveLength(1);
    expect(events('Drift Resolved', 'web')[0]).toMatchObject({ syncStatus: 'Synced', driftedCount: 0 });
    expect(events('Sync Succeeded', 'web')).toHaveLength(2);
  });

  it('catches up with a push whose webhook never arrived, with one branch lookup for every app on it', async () => {
    const second = await pipeline.repo.commit(apps('green'));
    const lookups = () => pipeline.github.requests.filter((request) => /\/branches\//.test(request.path)).length;
    const before = lookups();
    const plan = await scheduleAndWork(
      async () =>
        (await pipeline.store.getTarget('web', 'sandbox'))?.revision === second && (await pipeline.store.getTarget('api', 'sandbox'))?.revision === second,
    );
    expect(plan.missedPushes.map((missed) => [missed.app, missed.revision]).sort()).toEqual([
      ['api', second],
      ['web', second],
    ]);
    expect(lookups() - before).toBe(1);
    expect((await client.get<{ data: { color: string } }>('/api/v1/namespaces/shop/configmaps/web-config')).data.color).toBe('green');
    expect(events('Sync Succeeded', 'web').at(-1)).toMatchObject({ reason: 'missed-push', revision: second });
    expect((await pipeline.store.getHead(REPO_URL, 'main'))?.sha).toBe(second);

    // Caught up: the next schedule syncs nothing and scans instead.
    const next = await scheduleAndWork();
    expect(next.missedPushes).toEqual([]);
    expect(next.scans).toBe(2);
  });
});
