// restore() itself, against dynalite, the sandbox and a real git repository: what it compares
// a target with (its branch head, or its pin when the table still has one), how it lists a
// cluster registered with a namespace scope, and that an app whose head does not render is
// left out rather than written with an inventory nobody could fill.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices, type LocalServices } from '../../local/services.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import { MemoryRenderCache } from '../../shared/restore/memory-render-cache.ts';
import { restore, type RestoreDependencies } from '../../shared/restore/restore.ts';
import { LocalGitFetcher } from '../../shared/source/local-git.ts';
import { DynamoStateStore } from '../../shared/state/dynamo-store.ts';
import { startCluster, syncApp, type TestCluster } from '../support/cluster.ts';
import { createRepo, type TestRepo } from '../support/git.ts';

let services: LocalServices;
let cluster: TestCluster;
let repo: TestRepo;
let store: DynamoStateStore;
let kubeconfig: string;
const commits: Record<string, string> = {};

function web(color: string): Record<string, string> {
  return { 'apps/web/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config }\ndata: { color: ${color} }\n` };
}

function application(name: string, namespace: string): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: ${name} }\nspec:\n  source: { repoURL: ${repo.dir}, targetRevision: main, path: apps/${name} }\n  destination: { name: sandbox, namespace: ${namespace} }\n  syncPolicy: { automated: {} }\n`;
}

function deps(): RestoreDependencies {
  return {
    store,
    sources: new LocalGitFetcher(),
    renders: new MemoryRenderCache(),
    connect: (spec) => connectKubeconfig({ kubeconfig: spec.kubeconfig?.path, context: spec.kubeconfig?.context }),
    configRepo: { repoURL: repo.dir, branch: 'main', dir: 'driftless' },
    tableName: 'the test table',
  };
}

beforeAll(async () => {
  services = await startLocalServices();
  store = new DynamoStateStore({
    client: new DynamoDBClient({
      region: 'us-east-1',
      endpoint: services.env.AWS_ENDPOINT_URL_DYNAMODB,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    tableName: services.env.STATE_TABLE,
  });
  cluster = await startCluster();
  kubeconfig = join(tmpdir(), `restore-${process.pid}.kubeconfig`);
  await writeFile(kubeconfig, cluster.sandbox.kubeconfig());
  repo = await createRepo();
  commits.blue = await repo.commit({
    'driftless/cluster.yaml': `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: sandbox }\nspec:\n  kubeconfig: { path: ${kubeconfig}, context: sandbox }\n  accessScope: { type: namespace, namespaces: [shop, broken] }\n`,
    'driftless/web.yaml': application('web', 'shop'),
    'driftless/broken.yaml': application('broken', 'broken'),
    'apps/broken/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: [not, a, name\n',
    ...web('blue'),
  });
  // web is on the cluster as its first commit renders it, as a sync put it there.
  const synced = await syncApp(cluster, 'web', join(repo.dir, 'apps/web'), undefined, { createNamespace: 'shop' }, 'shop');
  expect(synced.status).toBe('Succeeded');
});
afterAll(async () => {
  await Promise.all([services?.stop(), cluster?.stop(), repo?.remove(), rm(kubeconfig, { force: true })]);
});

describe('restore', () => {
  it('lists a namespace-scoped cluster per namespace of its scope, and leaves out an app whose head does not render', async () => {
    cluster.sandbox.requests.clear();
    const report = await restore(deps());
    expect(report.targets.find((target) => target.app === 'web')).toMatchObject({
      outcome: 'restored',
      syncStatus: 'Synced',
      revision: commits.blue,
      objects: 1,
    });
    const broken = report.targets.find((target) => target.app === 'broken');
    expect(broken).toMatchObject({ outcome: 'failed' });
    expect(broken?.message).toMatch(/^cannot render broken at [0-9a-f]{7}, so its kinds are not known: .*apps\/broken\/bad\.yaml.*fix it in Git/);
    expect(await store.getTarget('broken', 'sandbox')).toBeUndefined();
    const lists = cluster.sandbox.requests.entries().filter((request) => request.verb === 'list');
    expect(lists.map((request) => request.path).sort()).toEqual(['/api/v1/namespaces/broken/configmaps', '/api/v1/namespaces/shop/configmaps']);
  });

  it('compares a pinned target with its pin, and an unpinned one with the head of its branch', async () => {
    commits.green = await repo.commit(web('green'));
    await store.putTargetState({ app: 'web', cluster: 'sandbox', pinnedRevision: commits.blue });
    const pinned = await restore(deps(), { force: true });
    expect(pinned.targets.find((target) => target.app === 'web')).toMatchObject({
      outcome: 'unchanged',
      commit: commits.blue,
      revision: commits.blue,
      syncStatus: 'Synced',
    });

    await store.putTargetState({ app: 'web', cluster: 'sandbox' }, { remove: ['pinnedRevision'] });
    const head = await restore(deps(), { force: true });
    expect(head.targets.find((target) => target.app === 'web')).toMatchObject({ outcome: 'restored', commit: commits.green, syncStatus: 'OutOfSync' });
    expect((await store.getTarget('web', 'sandbox'))?.message).toMatch(/1 differ/);
  });
});
