// `--clusters dev,staging,prod` starts one sandbox per name, each on its own port with its own
// objects, behind ONE kubeconfig whose contexts, clusters and users carry the names: real
// kubectl switches between them with --context.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startLocalClusters, type LocalClusters } from '../../local/clusters.ts';
import { kubectlFor, type Kubectl } from '../support/kubectl.ts';

let local: LocalClusters;
let kubectl: Kubectl;

beforeAll(async () => {
  local = await startLocalClusters(['dev', 'staging', 'prod']);
  kubectl = await kubectlFor(local.kubeconfig());
}, 30_000);

afterAll(async () => {
  await local?.stop();
});

it('starts one API server per name, in the order given, each on its own port', () => {
  expect(local.clusters.map((cluster) => cluster.name)).toEqual(['dev', 'staging', 'prod']);
  const ports = local.clusters.map((cluster) => cluster.sandbox.port);
  expect(new Set(ports).size).toBe(3);
  for (const { sandbox } of local.clusters) expect(sandbox.url).toBe(`https://127.0.0.1:${sandbox.port}`);
});

it('writes one kubeconfig: a context, cluster and user per name, the first one current', async () => {
  const config = parseYaml(local.kubeconfig()) as {
    clusters: Array<{ name: string; cluster: { server: string } }>;
    users: Array<{ name: string }>;
    contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
    'current-context': string;
  };
  expect(config.contexts).toEqual([
    { name: 'dev', context: { cluster: 'dev', user: 'dev' } },
    { name: 'staging', context: { cluster: 'staging', user: 'staging' } },
    { name: 'prod', context: { cluster: 'prod', user: 'prod' } },
  ]);
  expect(config.clusters.map((cluster) => [cluster.name, cluster.cluster.server])).toEqual(local.clusters.map(({ name, sandbox }) => [name, sandbox.url]));
  expect(config.users.map((user) => user.name)).toEqual(['dev', 'staging', 'prod']);
  expect(config['current-context']).toBe('dev');
  const contexts = await kubectl(['config', 'get-contexts', '-o', 'name']);
  expect(contexts.stdout.trim().split('\n')).toEqual(['dev', 'prod', 'staging']);
});

it('keeps each cluster its own state: what kubectl creates in one context is absent from the others', async () => {
  const created = await kubectl(['--context', 'staging', 'create', 'configmap', 'only-in-staging', '-n', 'default', '--from-literal=where=staging']);
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  const read = await kubectl(['--context', 'staging', 'get', 'configmap', 'only-in-staging', '-n', 'default', '-o', 'jsonpath={.data.where}']);
  expect(read.stdout).toBe('staging');
  for (const context of ['dev', 'prod']) {
    const missing = await kubectl(['--context', context, 'get', 'configmap', 'only-in-staging', '-n', 'default']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('configmaps "only-in-staging" not found');
  }
  // Each context talks to its own server: its request log saw the request, the others' did not.
  const wrote = (name: string) =>
    local.clusters
      .find((cluster) => cluster.name === name)
      ?.sandbox.requests.entries()
      .some((entry) => entry.method === 'POST' && entry.resource === 'configmaps' && JSON.stringify(entry.body).includes('only-in-staging')) ?? false;
  const createdIn = ['dev', 'staging', 'prod'].filter(wrote);
  expect(createdIn).toEqual(['staging']);
}, 60_000);

it('stops every server', async () => {
  const other = await startLocalClusters(['a', 'b']);
  const urls = other.clusters.map((cluster) => cluster.sandbox.url);
  await other.stop();
  for (const url of urls) await expect(fetch(`${url}/version`)).rejects.toThrow();
});
