// Preflight refuses objects whose namespace does not exist; for that it must know which
// namespaces do, including those only a hook goes into, generateName hooks too.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, type TestCluster } from '../support/cluster.ts';
import { hookJob } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const seedJob = (namespace: string) => hookJob('seed-', { 'argocd.argoproj.io/hook': 'PreSync' }, { generateName: true, namespace });
const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { color: blue }\n';

it('runs a generateName hook in an existing namespace that nothing else of the app uses', async () => {
  await cluster.client.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'jobs' } } });
  const result = await syncApp(cluster, 'seeded', await writeApp({ 'seed.yaml': seedJob('jobs'), 'config.yaml': config }));
  expect(result.status).toBe('Succeeded');
  expect(result.objects.find((change) => change.hook)).toMatchObject({ kind: 'Job', namespace: 'jobs', action: 'created' });
});

it('still refuses one whose namespace does not exist, naming it', async () => {
  await expect(syncApp(cluster, 'seeded2', await writeApp({ 'seed.yaml': seedJob('nowhere'), 'config.yaml': config }))).rejects.toThrow(
    /namespace "nowhere" does not exist/,
  );
});
