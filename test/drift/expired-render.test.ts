// A scan whose last applied render is gone from the render cache (S3's lifecycle, a restarted
// local mode) renders it again from Git at the recorded revision, as a sync does, caches it
// again under the same key and compares as usual: InSync when nothing changed, the real drift
// when something did, for suspended and pinned targets too. Only a revision gone from Git is
// Unknown, with that reason, and nothing is healed then; a GitHub failure leaves the state.
// Real pipeline: sandbox, dynalite, fauxqs S3 and SQS, the GitHub double on a real git repo.
import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSpec, ClusterSpec } from '../../shared/config/types.ts';
import { scanTarget, type ScanOutcome } from '../../shared/drift/scan-target.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import type { KubeClient } from '../../shared/kube/client.ts';
import { stateStore } from '../../shared/runtime/environment.ts';
import type { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import type { WorkerDependencies } from '../../shared/worker/dependencies.ts';
import { s3ClientConfig } from '../support/aws.ts';
import { kubectlFor, type Kubectl } from '../support/kubectl.ts';
import { startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
let store: DynamoStateStore;
let s3: S3Client;
let client: KubeClient;
let kubectl: Kubectl;
let buildDependencies: (env: typeof process.env) => Promise<WorkerDependencies>;
let first: string;

beforeAll(async () => {
  pipeline = await startPipeline();
  store = stateStore(process.env);
  s3 = new S3Client(s3ClientConfig(pipeline.services.env.AWS_ENDPOINT_URL_S3));
  client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  kubectl = await kubectlFor(pipeline.sandbox.kubeconfig());
  ({ buildDependencies } = await import('../../functions/sync-worker/handler.ts'));
  first = await pipeline.repo.commit({ ...webRegistry(), ...webApp('blue') });
  await pipeline.push(EMPTY, first, { added: ['driftless/web.yaml', 'driftless/clusters.yaml', 'apps/web/config.yaml', 'apps/web/deploy.yaml'] });
  await pipeline.work(async () => (await store.getTarget('web', 'sandbox'))?.revision === first);
});
afterAll(async () => {
  s3?.destroy();
  client?.close();
  await pipeline?.stop();
});

/**
 * One scan of web@sandbox by the scan code the worker runs, with the worker's own
 * dependencies built afresh: a new worker, whose disk holds no tree of any commit yet.
 */
async function scan(): Promise<ScanOutcome> {
  const registry = (await store.getRegistry())!.registry;
  const app = registry.apps.find((candidate) => candidate.name === 'web') as AppSpec;
  const cluster = registry.clusters.find((candidate) => candidate.name === 'sandbox') as ClusterSpec;
  const target = await store.getTarget('web', 'sandbox');
  const deps = await buildDependencies(process.env);
  return scanTarget(
    { kind: 'drift-scan', app: 'web', cluster: 'sandbox', revision: target!.revision!, enqueuedAt: new Date().toISOString(), schedulePeriod: Date.now() },
    app,
    cluster,
    deps,
  );
}

/**
 * Expires the target's render as S3's lifecycle would; returns its key. The workers' shared
 * copies of the commits (sources/) go too: one rule expires both, and the copy was written
 * just before the render it was rendered from.
 */
async function expireRender(): Promise<string> {
  const key = (await store.getTarget('web', 'sandbox'))!.renderKey!;
  const Bucket = pipeline.services.env.RENDER_BUCKET;
  await s3.send(new DeleteObjectCommand({ Bucket, Key: key }));
  const copies = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'sources/' }));
  for (const { Key } of copies.Contents ?? []) await s3.send(new DeleteObjectCommand({ Bucket, Key }));
  expect(await cached(key)).toBe(false);
  return key;
}

async function cached(key: string): Promise<boolean> {
  return s3.send(new HeadObjectCommand({ Bucket: pipeline.services.env.RENDER_BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
}

async function replicas(): Promise<number> {
  return (await client.get<{ spec: { replicas: number } }>('/apis/apps/v1/namespaces/shop/deployments/web')).spec.replicas;
}

describe('a scan whose last applied render expired from the cache', () => {
  it('renders it again from Git at the recorded revision, caches it under the same key, and finds nothing changed', async () => {
    const key = await expireRender();
    const outcome = await scan();
    expect(outcome).toMatchObject({
      outcome: 'scanned',
      render: 'rendered',
      healed: false,
      report: { status: 'InSync', revision: first, objects: [], compared: 2 },
    });
    expect(await cached(key)).toBe(true);
    expect(await store.getTarget('web', 'sandbox')).toMatchObject({ driftStatus: 'InSync', renderKey: key, revision: first });
    // The next scan reads it from the cache again.
    expect(await scan()).toMatchObject({ outcome: 'scanned', render: 'cached', report: { status: 'InSync' } });
  });

  it('finds the real drift, and self-heal heals what it found', async () => {
    await expireRender();
    expect((await kubectl(['scale', 'deployment/web', '--replicas=5', '-n', 'shop'])).code).toBe(0);
    const outcome = await scan();
    expect(outcome).toMatchObject({
      outcome: 'scanned',
      render: 'rendered',
      healed: true,
      report: { status: 'Drifted', objects: [{ kind: 'Deployment', name: 'web', state: 'modified', fields: [{ path: '.spec.replicas' }] }] },
    });
    expect(await store.getTarget('web', 'sandbox')).toMatchObject({ driftStatus: 'Drifted', driftedObjects: [{ kind: 'Deployment', name: 'web' }] });
    await pipeline.work(async () => (await replicas()) === 2 && (await store.getTarget('web', 'sandbox'))?.syncStatus === 'Synced');
    expect(await scan()).toMatchObject({ outcome: 'scanned', report: { status: 'InSync' } });
  });

  it.each([
    ['suspended', () => ({ suspended: true })],
    ['pinned', () => ({ pinnedRevision: first })],
  ])('compares a %s target for real (reported, not healed)', async (_, hold) => {
    await store.putTargetState({ app: 'web', cluster: 'sandbox', ...hold() });
    try {
      await expireRender();
      expect((await kubectl(['patch', 'configmap/web-config', '-n', 'shop', '--type', 'merge', '-p', '{"data":{"color":"edited"}}'])).code).toBe(0);
      const outcome = await scan();
      expect(outcome).toMatchObject({
        outcome: 'scanned',
        render: 'rendered',
        healed: false,
        report: { status: 'Drifted', objects: [{ kind: 'ConfigMap', name: 'web-config', state: 'modified', fields: [{ path: '.data.color' }] }] },
      });
      expect(await pipeline.queueDepth()).toBe(0);
      expect((await kubectl(['patch', 'configmap/web-config', '-n', 'shop', '--type', 'merge', '-p', '{"data":{"color":"blue"}}'])).code).toBe(0);
      expect(await scan()).toMatchObject({ outcome: 'scanned', report: { status: 'InSync' } });
    } finally {
      await store.putTargetState({ app: 'web', cluster: 'sandbox' }, { remove: ['suspended', 'pinnedRevision'] });
    }
  });

  it('leaves the recorded state alone when GitHub fails (the next schedule tries again)', async () => {
    const before = await store.getTarget('web', 'sandbox');
    await expireRender();
    pipeline.github.failNext('/repos/acme/gitops/tarball', 502, 'Bad Gateway');
    const outcome = await scan();
    expect(outcome).toMatchObject({ outcome: 'failed' });
    expect((await store.getTarget('web', 'sandbox'))?.updatedAt).toBe(before?.updatedAt);
  });

  it('records Unknown, with the reason, when the revision is gone from Git, and heals nothing', async () => {
    await expireRender();
    expect((await kubectl(['scale', 'deployment/web', '--replicas=4', '-n', 'shop'])).code).toBe(0);
    // History rewritten: the applied commit is replaced and its objects pruned from the repo.
    await pipeline.repo.git('commit', '--quiet', '--amend', '-m', 'rewritten');
    await pipeline.repo.git('reflog', 'expire', '--expire=now', '--all');
    await pipeline.repo.git('gc', '--quiet', '--prune=now');
    await expect(pipeline.repo.git('cat-file', '-e', first)).rejects.toThrow();

    const outcome = await scan();
    expect(outcome).toMatchObject({ outcome: 'unknown', healed: false });
    const reason = (outcome as { reason: string }).reason;
    expect(reason).toContain(`revision "${first}" not found`);
    expect(reason).toContain('no longer in Git');
    expect(await store.getTarget('web', 'sandbox')).toMatchObject({ driftStatus: 'Unknown', driftReason: reason, revision: first });
    // Self-heal on, but no sync: there is no drift it has seen.
    expect(await pipeline.queueDepth()).toBe(0);
    expect(await replicas()).toBe(4);
  });
});
