// An Application whose one source is a chart from a Helm repository (Argo CD's `source.chart`),
// through the real webhook, queue and worker against a real Helm repository on loopback: a push
// of the config repository syncs it at that commit, the chart's objects reach the cluster with
// the Application's Helm options, history says which chart version was deployed, a new
// constraint deploys a new version, and a version the repository does not have is refused
// with nothing applied.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHistory } from '../../cli/commands/history.ts';
import { palette } from '../../cli/ops/output.ts';
import { trackedBranches } from '../../shared/drift/heads.ts';
import { startHelmRepo, type HelmRepo } from '../support/helm-repo.ts';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';
import { liveConfigMap, OWNER, REPO, startPipeline, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
let helm: HelmRepo;
let chartCache: string;

const webChart = (version: string) => ({
  name: 'web',
  version,
  files: {
    'values.yaml': 'replicas: 1\ngreeting: hello\n',
    'templates/settings.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n  greeting: {{ .Values.greeting | quote }}\n  replicas: {{ .Values.replicas | quote }}\n',
  },
});

beforeAll(async () => {
  chartCache = await mkdtemp(join(tmpdir(), 'driftless-chart-cache-'));
  Object.assign(process.env, { CHART_LOOPBACK: 'allow', CHART_CACHE_DIR: chartCache });
  pipeline = await startPipeline();
  helm = await startHelmRepo({ charts: [webChart('1.2.0'), webChart('1.2.7'), webChart('2.0.0')] });
});
afterAll(async () => {
  await pipeline?.stop();
  await helm?.close();
  await rm(chartCache, { recursive: true, force: true });
});

function application(targetRevision: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web}
spec:
  source:
    repoURL: ${helm.url}
    chart: web
    targetRevision: '${targetRevision}'
    helm:
      releaseName: frontend
      parameters:
      - {name: greeting, value: bonjour}
  destination: {name: sandbox, namespace: web}
  syncPolicy:
    automated: {prune: true}
    syncOptions: [CreateNamespace=true]
`;
}

const settings = (name = 'frontend-settings') => liveConfigMap(pipeline, 'web', name);

async function pushConfig(before: string, files: Record<string, string>): Promise<string> {
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push(before, sha, { modified: Object.keys(files) })).statusCode).toBe(202);
  return sha;
}

describe('a chart source', () => {
  let first: string;
  let second: string;

  it('syncs at the config commit: the chart at the version its constraint resolves to, with the helm options', async () => {
    const files = {
      'driftless/clusters.yaml': SANDBOX_CLUSTER,
      'driftless/web.yaml': application('1.2.*'),
    };
    first = await pushConfig(EMPTY, files);
    await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.syncStatus === 'Synced');

    expect(await settings()).toEqual({ greeting: 'bonjour', replicas: '1' });
    const [entry] = await pipeline.store.listHistory('web', 'sandbox', 1);
    expect(entry).toMatchObject({ revision: first, status: 'Synced', reason: 'config' });
    expect(entry.sources).toEqual([{ repoURL: helm.url, chart: 'web', version: '1.2.7', digest: await helm.digest('web', '1.2.7') }]);
    // An app of charts alone is at the config commit: its status is posted there.
    const statuses = pipeline.github.statuses.filter((status) => status.context === 'driftless/web@sandbox' && status.sha === first);
    expect(statuses.map((status) => `${status.owner}/${status.repo} ${status.state}`)).toContain(`${OWNER}/${REPO} success`);
    // It follows no branch, so the drift scan's missed-push check asks no Git host about it.
    expect(trackedBranches((await pipeline.store.getRegistry())!.registry)).toEqual([]);
  });

  it('deploys the version a new constraint resolves to, and history tells the two apart', async () => {
    second = await pushConfig(first, { 'driftless/web.yaml': application('>=2.0.0 <3') });
    await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === second);
    const history = await pipeline.store.listHistory('web', 'sandbox', 2);
    expect(history.map((entry) => `${entry.revision} ${entry.sources?.map((source) => source.version).join(',')}`)).toEqual([
      `${second} 2.0.0`,
      `${first} 1.2.7`,
    ]);
    expect((await pipeline.store.getTarget('web', 'sandbox'))?.sources?.[0].version).toBe('2.0.0');
    // `driftless history` shows them beside the revision.
    const table = formatHistory(history, palette(false));
    expect(table).toMatch(new RegExp(`${second.slice(0, 7)} web@2\\.0\\.0\\s+config`));
    expect(table).toMatch(new RegExp(`${first.slice(0, 7)} web@1\\.2\\.7\\s+config`));
  });

  it('refuses a version the repository does not have, once, with nothing applied', async () => {
    const before = await settings();
    const writes = () => pipeline.sandbox.requests.entries().filter((request) => request.method !== 'GET').length;
    const writesBefore = writes();
    const third = await pushConfig(second, { 'driftless/web.yaml': application('9.9.9') });
    await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.syncStatus === 'Failed');
    const target = await pipeline.store.getTarget('web', 'sandbox');
    expect(target?.message).toMatch(/^cannot sync: .*9\.9\.9/);
    // The applied revision and sources stay those of the last good sync.
    expect(target).toMatchObject({ revision: second, sources: [{ chart: 'web', version: '2.0.0' }] });
    expect(await settings()).toEqual(before);
    expect(writes()).toBe(writesBefore);
    const failures = pipeline.github.statuses.filter(
      (status) => status.context === 'driftless/web@sandbox' && status.sha === third && status.state === 'failure',
    );
    expect(failures).toHaveLength(1);
  });
});
