// Self-heal through the real scan and worker, with the scan's clock injected (no waiting):
// a Deployment edit is healed, a ConfigMap deleted right after is restored at the very next
// scan (not a minute later), and the same Deployment field edited again and again is a fight
// that backs off as Argo CD's self-heal does (2 s, 6 s, 18 s …). A clean scan forgets it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSpec, ClusterSpec } from '../../shared/config/types.ts';
import { scanTarget, type ScanOutcome } from '../../shared/drift/scan-target.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { stateStore } from '../../shared/runtime/environment.ts';
import type { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import type { WorkerDependencies } from '../../shared/worker/dependencies.ts';
import { kubectlFor, type Kubectl } from '../support/kubectl.ts';
import { startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const SECOND = 1000;
const t0 = Date.parse('2026-03-01T10:00:00Z');

let pipeline: Pipeline;
let store: DynamoStateStore;
let client: KubeClient;
let kubectl: Kubectl;
let deps: WorkerDependencies;
/** The scan's clock, in ms after t0. */
let clock = 0;

beforeAll(async () => {
  pipeline = await startPipeline();
  store = stateStore(process.env);
  client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  kubectl = await kubectlFor(pipeline.sandbox.kubeconfig());
  const { buildDependencies } = await import('../../functions/sync-worker/handler.ts');
  deps = { ...(await buildDependencies(process.env)), now: () => new Date(t0 + clock) };
  const first = await pipeline.repo.commit({ ...webRegistry(), ...webApp('blue') });
  await pipeline.push(EMPTY, first, { added: ['driftless/web.yaml', 'driftless/clusters.yaml', 'apps/web/config.yaml', 'apps/web/deploy.yaml'] });
  await pipeline.work(async () => (await store.getTarget('web', 'sandbox'))?.revision === first);
});
afterAll(async () => {
  client?.close();
  await pipeline?.stop();
});

/** One scan of web@sandbox, as the worker runs it, at `at` ms after t0 on the scan's clock. */
async function scanAt(at: number): Promise<ScanOutcome> {
  clock = at;
  const registry = (await store.getRegistry())!.registry;
  const app = registry.apps.find((candidate) => candidate.name === 'web') as AppSpec;
  const cluster = registry.clusters.find((candidate) => candidate.name === 'sandbox') as ClusterSpec;
  const target = await store.getTarget('web', 'sandbox');
  return scanTarget(
    { kind: 'drift-scan', app: 'web', cluster: 'sandbox', revision: target!.revision!, enqueuedAt: new Date(t0 + at).toISOString(), schedulePeriod: at },
    app,
    cluster,
    deps,
  );
}

/** Runs the real worker until the heal it was given is applied and recorded. */
async function applyHeal(done: () => Promise<boolean>): Promise<void> {
  await pipeline.work(async () => (await done()) && (await store.getTarget('web', 'sandbox'))?.syncStatus === 'Synced' && (await pipeline.queueDepth()) === 0);
}

async function replicas(): Promise<number> {
  return (await client.get<{ spec: { replicas: number } }>('/apis/apps/v1/namespaces/shop/deployments/web')).spec.replicas;
}

async function configMapExists(): Promise<boolean> {
  return client.get('/api/v1/namespaces/shop/configmaps/web-config').then(
    () => true,
    () => false,
  );
}

async function scaleTo(count: number): Promise<void> {
  expect((await kubectl(['scale', 'deployment/web', `--replicas=${count}`, '-n', 'shop'])).code).toBe(0);
}

describe('self-heal tells a fight from new drift', () => {
  it('heals a Deployment edit, then restores a ConfigMap deleted right after at the next scan', async () => {
    await scaleTo(5);
    expect(await scanAt(0)).toMatchObject({ outcome: 'scanned', healed: true, heal: { action: 'heal', fresh: 1, fights: 0 } });
    await applyHeal(async () => (await replicas()) === 2);

    expect((await kubectl(['delete', 'configmap/web-config', '-n', 'shop'])).code).toBe(0);
    const next = await scanAt(1 * SECOND);
    expect(next).toMatchObject({
      outcome: 'scanned',
      healed: true,
      heal: { action: 'heal', fresh: 1, fights: 0 },
      report: { objects: [{ kind: 'ConfigMap', name: 'web-config', state: 'missing' }] },
    });
    await applyHeal(configMapExists);
    expect(await store.getTarget('web', 'sandbox')).toMatchObject({
      selfHealRecords: [
        { attempts: 1, healedAt: new Date(t0 + 1 * SECOND).toISOString() },
        { attempts: 1, healedAt: new Date(t0).toISOString() },
      ],
    });
  });

  it('backs off 2 s, 6 s, 18 s when the same Deployment field is edited again and again', async () => {
    // Heals of .spec.replicas so far: one, at 0 s. Each round: edited again, too early, then due.
    const rounds = [
      { early: 1.5, due: 2 },
      { early: 7.9, due: 8 },
      { early: 25.9, due: 26 },
    ];
    for (const [index, { early, due }] of rounds.entries()) {
      await scaleTo(5);
      expect(await scanAt(early * SECOND)).toMatchObject({
        outcome: 'scanned',
        healed: false,
        heal: { action: 'wait', until: new Date(t0 + due * SECOND).toISOString(), fights: 1 },
      });
      expect(await pipeline.queueDepth()).toBe(0);
      expect(await replicas()).toBe(5);
      expect(await scanAt(due * SECOND)).toMatchObject({ outcome: 'scanned', healed: true, heal: { action: 'heal', fresh: 0, fights: 1 } });
      await applyHeal(async () => (await replicas()) === 2);
      const records = (await store.getTarget('web', 'sandbox'))?.selfHealRecords ?? [];
      expect(records[0]).toMatchObject({ attempts: index + 2, healedAt: new Date(t0 + due * SECOND).toISOString() });
    }
  });

  it('a clean scan forgets what was healed: the same edit afterwards is healed at once', async () => {
    expect(await scanAt(30 * SECOND)).toMatchObject({ outcome: 'scanned', report: { status: 'InSync' } });
    expect((await store.getTarget('web', 'sandbox'))?.selfHealRecords).toBeUndefined();
    await scaleTo(5);
    expect(await scanAt(31 * SECOND)).toMatchObject({ outcome: 'scanned', healed: true, heal: { action: 'heal', fresh: 1, fights: 0 } });
    await applyHeal(async () => (await replicas()) === 2);
  });
});
