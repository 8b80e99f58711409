// `driftless restore` after the state table is lost, in-process against the whole pipeline
// (real webhook and worker, dynalite + fauxqs, the sandbox cluster, a GitHub double serving a
// real git repository): three apps synced, one of them changed by hand on the cluster, the
// table deleted and created empty again as local mode creates it; then restore, what `apps`
// and `history` show, a second run, and the next push and sync working from the restored state.
import { DeleteTableCommand, DynamoDBClient, ScanCommand, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '../../../local/create-table.ts';
import { startSandbox } from '../../../local/sandbox/index.ts';
import type { KubeClient } from '../../../shared/kube/client.ts';
import { connectKubeconfig } from '../../../shared/kube/connect.ts';
import { stateStore } from '../../../shared/runtime/environment.ts';
import type { DynamoStateStore } from '../../../shared/state/dynamo-store.ts';
import { runCli } from '../../support/cli.ts';
import { liveColor, REPO_URL, startPipeline, webApp, webRegistry, type Pipeline } from '../../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
let store: DynamoStateStore;
let dynamo: DynamoDBClient;
let kube: KubeClient;
const commits: Record<string, string> = {};

/** `automated`: the syncPolicy's automated line, or '' for an app synced by hand only. */
function application(name: string, namespace: string, automated: string, cluster = 'sandbox'): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name} }
spec:
  source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/${name} }
  destination: { name: ${cluster}, namespace: ${namespace} }
  syncPolicy:${automated ? `\n    ${automated}` : ''}
    syncOptions: [CreateNamespace=true]
`;
}

function configMap(name: string, data: Record<string, string>): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: ${JSON.stringify(data)}\n`;
}

/** Besides `web`: `api` and `docs` on the sandbox, and `far`, synced by hand only, on a cluster whose API server is gone. */
async function registry(): Promise<Record<string, string>> {
  const gone = await startSandbox();
  const kubeconfig = join(tmpdir(), `restore-gone-${process.pid}.kubeconfig`);
  await writeFile(kubeconfig, gone.kubeconfig());
  await gone.stop();
  return {
    ...webRegistry(),
    'driftless/gone.yaml': `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: gone }\nspec:\n  kubeconfig: { path: ${kubeconfig}, context: sandbox }\n`,
    'driftless/api.yaml': application('api', 'api', 'automated: { prune: true }'),
    'driftless/docs.yaml': application('docs', 'docs', 'automated: {}'),
    'driftless/far.yaml': application('far', 'far', '', 'gone'),
    'apps/api/config.yaml': configMap('api-config', { port: '8080' }),
    'apps/api/extra.yaml': configMap('api-extra', { feature: 'on' }),
    'apps/docs/a.yaml': configMap('docs-a', { page: 'a' }),
    'apps/docs/b.yaml': configMap('docs-b', { page: 'b' }),
    'apps/far/config.yaml': configMap('far-config', { where: 'far' }),
  };
}

type Row = { app: string; cluster: string; revision?: string; syncStatus: string; health: string; message: string };
type Restored = {
  registry: { revision: string; written: boolean };
  targets: Array<{ app: string; cluster: string; outcome: string; syncStatus?: string; revision?: string; objects: number; message: string }>;
};

async function targetOf(app: string, cluster = 'sandbox') {
  return store.getTarget(app, cluster);
}

/** Every item in the table, in key order. */
async function tableItems(): Promise<unknown[]> {
  const { Items = [] } = await dynamo.send(new ScanCommand({ TableName: process.env.STATE_TABLE }));
  return Items.sort((a, b) => `${a.pk.S}#${a.sk.S}`.localeCompare(`${b.pk.S}#${b.sk.S}`));
}

async function configMapExists(namespace: string, name: string): Promise<boolean> {
  try {
    await kube.get(`/api/v1/namespaces/${namespace}/configmaps/${name}`);
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return false;
    throw error;
  }
}

beforeAll(async () => {
  pipeline = await startPipeline();
  store = stateStore(process.env);
  dynamo = new DynamoDBClient({});
  kube = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });

  const files = await registry();
  commits.first = await pipeline.repo.commit({ ...files, ...webApp('blue') });
  await pipeline.push(EMPTY, commits.first, { added: Object.keys(files) });
  await pipeline.work(async () => {
    const states = await Promise.all(['web', 'api', 'docs'].map((app) => targetOf(app)));
    return (
      states.every((state) => state?.revision === commits.first && state.syncStatus === 'Synced') && (await targetOf('far', 'gone'))?.syncStatus === 'OutOfSync'
    );
  });
  // Someone deletes one of docs' objects by hand: the cluster is no longer as Git says.
  await kube.request({ method: 'DELETE', path: '/api/v1/namespaces/docs/configmaps/docs-b' });

  // The table is lost, and created again empty as local mode creates it.
  const table = process.env.STATE_TABLE;
  await dynamo.send(new DeleteTableCommand({ TableName: table }));
  await waitUntilTableNotExists({ client: dynamo, maxWaitTime: 30, minDelay: 1 }, { TableName: table });
  await createTable(dynamo, table!);
});
afterAll(async () => {
  kube?.close();
  dynamo?.destroy();
  await pipeline?.stop();
});

describe('driftless restore on an empty table', () => {
  let restored: Restored;
  let code: number;

  beforeAll(async () => {
    expect(JSON.parse((await runCli(['apps', '--output', 'json'])).stdout)).toEqual([]);
    pipeline.sandbox.requests.clear();
    const result = await runCli(['restore', '--output', 'json']);
    code = result.code;
    restored = JSON.parse(result.stdout) as Restored;
  });

  it('stores the registry of the config repository at its head', async () => {
    expect(restored.registry).toMatchObject({ revision: commits.first, written: true });
    expect((await store.getRegistry())?.registry.apps.map((app) => app.name).sort()).toEqual(['api', 'docs', 'far', 'web']);
  });

  it('finds the targets that are as Git says Synced at the commit, and the one changed by hand OutOfSync without a revision', () => {
    const byTarget = Object.fromEntries(restored.targets.map((target) => [`${target.app}@${target.cluster}`, target]));
    expect(byTarget['web@sandbox']).toMatchObject({ outcome: 'restored', syncStatus: 'Synced', revision: commits.first, objects: 2 });
    expect(byTarget['api@sandbox']).toMatchObject({ outcome: 'restored', syncStatus: 'Synced', revision: commits.first, objects: 2 });
    expect(byTarget['docs@sandbox']).toMatchObject({ outcome: 'restored', syncStatus: 'OutOfSync', objects: 1 });
    expect(byTarget['docs@sandbox'].revision).toBeUndefined();
    expect(byTarget['docs@sandbox'].message).toMatch(/1 missing/);
  });

  it('leaves a target whose cluster cannot be reached unwritten, says why, and exits 1', async () => {
    const far = restored.targets.find((target) => target.app === 'far');
    expect(far).toMatchObject({ cluster: 'gone', outcome: 'failed' });
    expect(far?.message).toMatch(/cannot reach cluster gone: .*ECONNREFUSED/);
    expect(await targetOf('far', 'gone')).toBeUndefined();
    expect(code).toBe(1);
  });

  it('reads the cluster with one LIST per kind the apps render, no GET per object, and writes nothing to it', () => {
    const requests = pipeline.sandbox.requests.entries();
    expect(requests.filter((request) => request.method !== 'GET')).toEqual([]);
    expect(requests.filter((request) => request.verb === 'get' && request.name !== undefined)).toEqual([]);
    // web renders a ConfigMap and a Deployment, api and docs ConfigMaps: two kinds.
    expect(
      requests
        .filter((request) => request.verb === 'list')
        .map((request) => request.resource)
        .sort(),
    ).toEqual(['configmaps', 'deployments']);
  });

  it('driftless apps shows the apps with their revisions, and that they were restored', async () => {
    const result = await runCli(['apps', '--output', 'json']);
    const rows = JSON.parse(result.stdout) as Row[];
    expect(rows.map((row) => [row.app, row.cluster, row.revision, row.syncStatus, row.health])).toEqual([
      ['api', 'sandbox', commits.first, 'Synced', 'Healthy'],
      ['docs', 'sandbox', undefined, 'OutOfSync', 'Missing'],
      ['far', 'gone', undefined, 'Unknown', 'Unknown'],
      ['web', 'sandbox', commits.first, 'Synced', 'Healthy'],
    ]);
    expect(rows.filter((row) => row.cluster === 'sandbox').every((row) => row.message.startsWith('restored from the cluster'))).toBe(true);
    // docs is Missing an object: apps exits 1 for it, as for any Missing target.
    expect(result.code).toBe(1);
    expect((await targetOf('web'))?.restoredAt).toEqual(expect.any(String));
  });

  it('driftless history shows one restored entry per target', async () => {
    const entries = JSON.parse((await runCli(['history', 'web', '--output', 'json'])).stdout) as Array<{ revision: string; reason: string; status: string }>;
    expect(entries).toEqual([expect.objectContaining({ revision: commits.first, reason: 'restored', status: 'Synced' })]);
    const text = await runCli(['history', 'docs']);
    expect(text.stdout).toMatch(new RegExp(`sandbox\\s+${commits.first.slice(0, 7)}\\s+restored\\s+OutOfSync Missing`));
  });

  it('leaves no lease and asks for the commit it found, so the next sync starts cleanly', async () => {
    expect(await store.getLease({ app: 'web', cluster: 'sandbox' })).toBeUndefined();
    expect(await targetOf('web')).toMatchObject({ requestedRevision: commits.first, revision: commits.first });
    expect((await targetOf('web'))?.inventory?.entries.map((entry) => `${entry.kind}/${entry.name}`).sort()).toEqual([
      'ConfigMap/web-config',
      'Deployment/web',
    ]);
  });
});

describe('driftless restore a second time', () => {
  it('refuses a table that has state, exit 2, and says how to go on', async () => {
    const result = await runCli(['restore']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/driftless restore: the state table .* is not empty: .*pass --force/);
  });

  it('with --force writes nothing: every item stays as it was', async () => {
    const before = await tableItems();
    const result = await runCli(['restore', '--force', '--output', 'json']);
    const report = JSON.parse(result.stdout) as Restored;
    expect(report.registry.written).toBe(false);
    expect(report.targets.filter((target) => target.cluster === 'sandbox').map((target) => target.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const text = await runCli(['restore', '--force']);
    expect(text.stdout).toMatch(new RegExp(`^Registry at ${commits.first.slice(0, 7)}: 4 apps, 2 clusters \\(unchanged\\)\\.\n`));
    expect(text.stdout).toMatch(new RegExp(`web@sandbox\\s+unchanged\\s+Synced\\s+${commits.first.slice(0, 7)}\\s+2\\s+restored from the cluster`));
    expect(text.stdout).toMatch(/far@gone\s+failed\s+cannot reach cluster gone/);
    expect(await tableItems()).toEqual(before);
  });

  it('runs the same against local mode found by its state folder, with the config repository given as a flag', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'restore-state-'));
    // An endpoints file that does not name the config repository (npm start's does).
    const configRepo = process.env.CONFIG_REPO_URL;
    delete process.env.CONFIG_REPO_URL;
    try {
      await writeFile(join(dir, 'endpoints.json'), JSON.stringify({ ...pipeline.services.env, KUBECONFIG: process.env.KUBECONFIG }));
      const unnamed = await runCli(['restore', '--force', '--state-dir', dir]);
      expect(unnamed.code).toBe(2);
      expect(unnamed.stderr).toMatch(/--config-repo URL is required/);
      const before = await tableItems();
      const result = await runCli(['restore', '--force', '--state-dir', dir, '--config-repo', REPO_URL, '--branch', 'main', '--output', 'json']);
      const report = JSON.parse(result.stdout) as Restored;
      expect(report.targets.filter((target) => target.cluster === 'sandbox').map((target) => target.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
      expect(await tableItems()).toEqual(before);
    } finally {
      process.env.CONFIG_REPO_URL = configRepo;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('after the restore', () => {
  it('the next push syncs normally: applied, Git-unchanged objects not written again, what left Git pruned', async () => {
    commits.second = await pipeline.repo.commit({ ...webApp('purple'), 'apps/api/extra.yaml': null });
    pipeline.sandbox.requests.clear();
    await pipeline.push(commits.first, commits.second, { modified: ['apps/web/config.yaml'], removed: ['apps/api/extra.yaml'] });
    await pipeline.work(async () => (await targetOf('web'))?.revision === commits.second && (await targetOf('api'))?.revision === commits.second);

    expect(await liveColor(pipeline)).toBe('purple');
    // The inventory restore wrote is what api's sync pruned by.
    expect(await configMapExists('api', 'api-extra')).toBe(false);
    expect(await configMapExists('api', 'api-config')).toBe(true);
    // The Deployment did not change in Git and is as Git says: not written.
    const writes = pipeline.sandbox.requests.entries().filter((request) => request.method !== 'GET' && request.query.dryRun === undefined);
    expect(writes.filter((request) => request.resource === 'deployments')).toEqual([]);
    for (const app of ['web', 'api']) {
      const target = await targetOf(app);
      expect(target).toMatchObject({ syncStatus: 'Synced', health: 'Healthy', requestedRevision: commits.second });
      expect(target?.appliedSeq).toBe(target?.requestSeq);
    }
    const [latest, before] = JSON.parse((await runCli(['history', 'web', '--output', 'json'])).stdout) as Array<{
      revision: string;
      reason: string;
      status: string;
    }>;
    expect(latest).toMatchObject({ revision: commits.second, reason: 'push', status: 'Synced' });
    expect(before).toMatchObject({ revision: commits.first, reason: 'restored' });
  });

  it('a sync of the target restored OutOfSync brings back what was deleted by hand', async () => {
    const worker = pipeline.startWorker();
    try {
      const result = await runCli(['sync', 'docs', '--wait']);
      expect(result.code).toBe(0);
    } finally {
      await worker.stop();
    }
    expect(await configMapExists('docs', 'docs-b')).toBe(true);
    expect(await targetOf('docs')).toMatchObject({ revision: commits.second, syncStatus: 'Synced', health: 'Healthy' });
  });
});
