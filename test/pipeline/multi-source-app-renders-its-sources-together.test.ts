// A multi-source Application, as Argo CD documents it: a chart from a Helm repository whose
// values come from a Git repository (`ref: values`, `$values/…`) that renders a folder of its
// own too, plus a folder of the config repository: two Git sources rendered with a chart. Through the real webhook, queue and worker, against a real Helm
// repository on loopback: the sources are rendered together, a push to the values repository
// syncs the app, history records the commit of every Git source and the chart's version, and
// the drift scan renders exactly those again once the render has left the cache.
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSpec, ClusterSpec } from '../../shared/config/types.ts';
import { scanTarget } from '../../shared/drift/scan-target.ts';
import { s3ClientConfig } from '../support/aws.ts';
import { createRepo, type TestRepo } from '../support/git.ts';
import { startHelmRepo, type HelmRepo } from '../support/helm-repo.ts';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';
import { liveConfigMap, OWNER, pushPayload, REPO_URL, startPipeline, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const VALUES_URL = `https://github.com/${OWNER}/values.git`;

let pipeline: Pipeline;
let helm: HelmRepo;
let values: TestRepo;
let chartCache: string;

// The chart's own default is grey; the value file in the values repository says otherwise.
const shopChart = (version: string) => ({
  name: 'shop',
  version,
  files: {
    'values.yaml': 'color: grey\n',
    'templates/color.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop-color\ndata:\n  color: {{ .Values.color | quote }}\n  version: {{ .Chart.Version | quote }}\n',
  },
});

beforeAll(async () => {
  // Local mode's settings for the chart fetcher: a repository on loopback, a cache folder.
  chartCache = await mkdtemp(join(tmpdir(), 'driftless-chart-cache-'));
  Object.assign(process.env, { CHART_LOOPBACK: 'allow', CHART_CACHE_DIR: chartCache });
  pipeline = await startPipeline();
  helm = await startHelmRepo({ charts: [shopChart('1.0.0'), shopChart('1.1.0'), shopChart('2.0.0')] });
  values = await createRepo();
  pipeline.github.addRepo(OWNER, 'values', values.dir, { defaultBranch: 'main' });
});
afterAll(async () => {
  await pipeline?.stop();
  await helm?.close();
  await values?.remove();
  await rm(chartCache, { recursive: true, force: true });
});

function registryFiles(): Record<string, string> {
  return {
    'driftless/clusters.yaml': SANDBOX_CLUSTER,
    'driftless/shop.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: shop}
spec:
  sources:
  - repoURL: ${helm.url}
    chart: shop
    targetRevision: 1.*
    helm:
      valueFiles:
      - $values/envs/dev/shop.yaml
  - repoURL: ${VALUES_URL}
    targetRevision: main
    ref: values
    path: manifests
  - repoURL: ${REPO_URL}
    targetRevision: main
    path: apps/shop-extras
  destination: {name: sandbox, namespace: shop}
  syncPolicy:
    automated: {prune: true}
    syncOptions: [CreateNamespace=true]
`,
    'apps/shop-extras/extras.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop-extras}\ndata: {from: config-repo}\n',
  };
}

const configMap = (name: string) => liveConfigMap(pipeline, 'shop', name);

/** GitHub's push example for the values repository. */
function valuesPush(before: string, after: string, modified: string[]) {
  const payload = pushPayload(before, after, { modified });
  const repository = payload.repository as Record<string, unknown>;
  return {
    ...payload,
    repository: {
      ...repository,
      name: 'values',
      full_name: `${OWNER}/values`,
      clone_url: VALUES_URL,
      html_url: `https://github.com/${OWNER}/values`,
      ssh_url: `git@github.com:${OWNER}/values.git`,
    },
  };
}

describe('a multi-source application', () => {
  let config: string;
  let values1: string;

  it('renders the chart with the value file of the values repository, beside a folder of each Git repository', async () => {
    values1 = await values.commit({
      'envs/dev/shop.yaml': 'color: green\n',
      'manifests/team.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop-team}\ndata: {from: values-repo}\n',
      'README.md': 'value files\n',
    });
    const files = registryFiles();
    config = await pipeline.repo.commit(files);
    expect((await pipeline.push(EMPTY, config, { added: Object.keys(files) })).statusCode).toBe(202);
    await pipeline.work(async () => (await pipeline.store.getTarget('shop', 'sandbox'))?.syncStatus === 'Synced');

    // 1.* resolves to the highest 1.x the repository's index lists.
    expect(await configMap('shop-color')).toEqual({ color: 'green', version: '1.1.0' });
    expect(await configMap('shop-extras')).toEqual({ from: 'config-repo' });
    expect(await configMap('shop-team')).toEqual({ from: 'values-repo' });
    const target = await pipeline.store.getTarget('shop', 'sandbox');
    // The app's revision is its first Git source's commit: the values repository's.
    expect(target).toMatchObject({ revision: values1, health: 'Healthy' });
    expect(target?.sources).toEqual([
      { repoURL: helm.url, chart: 'shop', version: '1.1.0', digest: await helm.digest('shop', '1.1.0') },
      { repoURL: VALUES_URL, sha: values1 },
      { repoURL: REPO_URL, sha: config },
    ]);
  });

  it('syncs on a push to the values repository that changes a value file read from it, and not on its other files', async () => {
    const readme = await values.commit({ 'README.md': 'still value files\n' });
    const ignored = await pipeline.deliver('push', valuesPush(values1, readme, ['README.md']));
    expect(ignored).toEqual({ statusCode: 200, body: { message: 'nothing to do: no app tracks these files on this branch' } });

    const values2 = await values.commit({ 'envs/dev/shop.yaml': 'color: blue\n' });
    const pushed = await pipeline.deliver('push', valuesPush(readme, values2, ['envs/dev/shop.yaml']));
    expect(pushed.statusCode).toBe(202);
    expect(pushed.body.targets).toEqual(['shop@sandbox']);
    await pipeline.work(
      async () => (await configMap('shop-color'))?.color === 'blue' && (await pipeline.store.getTarget('shop', 'sandbox'))?.syncStatus === 'Synced',
    );

    expect(await configMap('shop-extras')).toEqual({ from: 'config-repo' });
    const [latest] = await pipeline.store.listHistory('shop', 'sandbox', 1);
    expect(latest).toMatchObject({ revision: values2, status: 'Synced', reason: 'push' });
    expect(latest.sources).toEqual([
      { repoURL: helm.url, chart: 'shop', version: '1.1.0', digest: await helm.digest('shop', '1.1.0') },
      { repoURL: VALUES_URL, sha: values2 },
      { repoURL: REPO_URL, sha: config },
    ]);
    // The commit status of that sync is on the values repository's commit.
    const statuses = pipeline.github.statuses.filter((status) => status.sha === values2 && status.context === 'driftless/shop@sandbox');
    expect(statuses.map((status) => `${status.owner}/${status.repo} ${status.state}`)).toContain(`${OWNER}/values success`);
  });

  it('is rendered again from the recorded sources when its render has left the cache, not from the heads', async () => {
    const target = await pipeline.store.getTarget('shop', 'sandbox');
    const s3 = new S3Client(s3ClientConfig(pipeline.services.env.AWS_ENDPOINT_URL_S3));
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: pipeline.services.env.RENDER_BUCKET, Key: target?.renderKey }));
    } finally {
      s3.destroy();
    }
    // Both repositories move on without a push: the cluster still holds what was applied. (The
    // job's commit is the values repository's; the config repository's head would differ.)
    await values.commit({ 'envs/dev/shop.yaml': 'color: red\n' });
    await pipeline.repo.commit({
      'apps/shop-extras/extras.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop-extras}\ndata: {from: a-later-commit}\n',
    });
    const registry = (await pipeline.store.getRegistry())!.registry;
    const { buildDependencies } = await import('../../functions/sync-worker/handler.ts');
    const outcome = await scanTarget(
      { kind: 'drift-scan', app: 'shop', cluster: 'sandbox', revision: target!.revision!, enqueuedAt: new Date().toISOString(), schedulePeriod: Date.now() },
      registry.apps.find((app) => app.name === 'shop') as AppSpec,
      registry.clusters.find((cluster) => cluster.name === 'sandbox') as ClusterSpec,
      await buildDependencies(process.env),
    );
    expect(outcome).toMatchObject({ outcome: 'scanned', render: 'rendered', report: { status: 'InSync' } });
    expect((await pipeline.store.getTarget('shop', 'sandbox'))?.renderKey).toBe(target?.renderKey);
  });
});
