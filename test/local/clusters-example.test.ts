// The example repository `npm start -- --clusters dev,staging,prod` creates: a Cluster per name
// labelled env=<name> on the context of that name, guestbook as an Argo CD ApplicationSet
// (clusters generator, RollingSync by env in the order given), the other apps on the first
// cluster. The expected documents are written out from Argo CD's documentation (Cluster
// generator parameters `name` and `metadata.labels.<key>`; Progressive Syncs' RollingSync).
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { ensureExampleRepo, exampleContexts } from '../../local/example.ts';
import { loadRegistry } from '../../shared/config/load.ts';

let dir: string;
let example: string;
const CHART_REPO = 'http://127.0.0.1:8788/';

const read = async (file: string) => parseYaml(await readFile(join(example, file), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'driftless-clusters-example-'));
  example = join(dir, 'example');
  expect(await ensureExampleRepo(example, join(dir, 'state'), 'staging', CHART_REPO, { clusters: ['staging', 'dev', 'prod'] })).toBe(true);
});

it('registers one Cluster per name, in the order given, labelled env=<name>, on the kubeconfig context of that name', async () => {
  const documents = parseAllDocuments(await readFile(join(example, 'driftless/clusters.yaml'), 'utf8'));
  expect(Array.isArray(documents) && documents.map((document) => document.toJS() as unknown)).toEqual(
    ['staging', 'dev', 'prod'].map((name) => ({
      apiVersion: 'driftless.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name, labels: { env: name } },
      spec: { kubeconfig: { context: name } },
    })),
  );
  // No single-cluster `local` beside them.
  expect((await readdir(join(example, 'driftless'))).sort()).toEqual(['clusters.yaml', 'guestbook.yaml', 'hello.yaml', 'podinfo.yaml', 'redis.yaml']);
  expect(await exampleContexts(example)).toEqual(['staging', 'dev', 'prod']);
});

it('deploys guestbook to every cluster by an ApplicationSet rolled out one cluster after another, in the order given', async () => {
  const env = (value: string) => ({ matchExpressions: [{ key: 'env', operator: 'In', values: [value] }] });
  expect(await read('driftless/guestbook.yaml')).toEqual({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'guestbook' },
    spec: {
      // goTemplate absent: fasttemplate, `{{name}}` and `{{metadata.labels.env}}` as the Cluster generator documents them.
      generators: [{ clusters: {} }],
      strategy: { type: 'RollingSync', rollingSync: { steps: [env('staging'), env('dev'), env('prod')] } },
      template: {
        metadata: { name: 'guestbook-{{name}}', labels: { env: '{{metadata.labels.env}}' } },
        spec: {
          project: 'default',
          source: { repoURL: example, targetRevision: 'main', path: 'apps/guestbook' },
          destination: { name: '{{name}}', namespace: 'guestbook' },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
        },
      },
    },
  });
});

it('sends the other apps to the first cluster', async () => {
  for (const app of ['podinfo', 'redis', 'hello']) {
    const manifest = (await read(`driftless/${app}.yaml`)) as { spec: { destination: unknown } };
    expect(manifest.spec.destination, app).toEqual({ name: 'staging', namespace: app });
  }
});

it('is a registry the engine reads: the three clusters with their labels and contexts, the set with its RollingSync steps and an app per cluster', async () => {
  const registry = await loadRegistry(example);
  expect(registry.clusters.map(({ name, labels, kubeconfig }) => ({ name, labels, kubeconfig }))).toEqual([
    { name: 'staging', labels: { env: 'staging' }, kubeconfig: { context: 'staging' } },
    { name: 'dev', labels: { env: 'dev' }, kubeconfig: { context: 'dev' } },
    { name: 'prod', labels: { env: 'prod' }, kubeconfig: { context: 'prod' } },
  ]);
  const set = registry.applicationSets?.find((candidate) => candidate.name === 'guestbook');
  expect(set?.source).toBe('argo');
  expect(set?.goTemplate).toBe(false);
  expect(set?.strategy?.steps.map((step) => step.matchExpressions)).toEqual([
    [{ key: 'env', operator: 'In', values: ['staging'] }],
    [{ key: 'env', operator: 'In', values: ['dev'] }],
    [{ key: 'env', operator: 'In', values: ['prod'] }],
  ]);
  // What Argo CD's Cluster generator makes of it: one app per registered cluster, named and
  // labelled from the cluster's `name` and `metadata.labels.env`, sent to that cluster.
  expect(
    registry.apps
      .filter((app) => app.applicationSet === 'guestbook')
      .map(({ name, labels, destinations, source }) => ({ name, labels, destinations, source }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  ).toEqual(
    ['dev', 'prod', 'staging'].map((name) => ({
      name: `guestbook-${name}`,
      labels: { env: name },
      destinations: [{ cluster: name, namespace: 'guestbook' }],
      source: { repoURL: example, targetRevision: 'main', path: 'apps/guestbook' },
    })),
  );
  expect(
    registry.apps
      .filter((app) => !app.applicationSet)
      .map((app) => [app.name, app.destinations])
      .sort(),
  ).toEqual([
    ['hello', [{ cluster: 'staging', namespace: 'hello' }]],
    ['podinfo', [{ cluster: 'staging', namespace: 'podinfo' }]],
    ['redis', [{ cluster: 'staging', namespace: 'redis' }]],
  ]);
});

it('without --clusters is the example as before: cluster local on the given context, guestbook an Application on it', async () => {
  const plain = join(dir, 'plain');
  await ensureExampleRepo(plain, join(dir, 'state'), 'sandbox');
  expect((await readdir(join(plain, 'driftless'))).sort()).toEqual(['cluster.yaml', 'guestbook.yaml', 'podinfo.yaml', 'redis.yaml']);
  expect(parseYaml(await readFile(join(plain, 'driftless/cluster.yaml'), 'utf8'))).toEqual({
    apiVersion: 'driftless.io/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'local' },
    spec: { kubeconfig: { context: 'sandbox' } },
  });
  const guestbook = parseYaml(await readFile(join(plain, 'driftless/guestbook.yaml'), 'utf8')) as { kind: string; spec: { destination: unknown } };
  expect(guestbook.kind).toBe('Application');
  expect(guestbook.spec.destination).toEqual({ name: 'local', namespace: 'guestbook' });
  expect(await exampleContexts(plain)).toEqual(['sandbox']);
  expect(await exampleContexts(join(dir, 'nowhere'))).toBeUndefined();
});
