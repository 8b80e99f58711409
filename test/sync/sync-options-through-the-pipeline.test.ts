// An Argo CD Application's syncOptions, from the config repository through the webhook, the
// queue and the worker, take effect on the cluster: here Prune=false beside automated prune
// (nothing is pruned, Argo CD's "Sync Options" page), managedNamespaceMetadata on the created
// namespace, and an entry Argo CD ignores (its names are case-sensitive), which the commit
// status warns about.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import type { KubeObject } from '../../shared/kube/object.ts';
import { startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

function registry(): Record<string, string> {
  const files = webRegistry();
  files['driftless/web.yaml'] = files['driftless/web.yaml'].replace(
    '    syncOptions: [CreateNamespace=true]\n',
    '    syncOptions: [CreateNamespace=true, Prune=false, pruneLast=true]\n    managedNamespaceMetadata:\n      labels: { team: shop }\n',
  );
  return files;
}

async function live(path: string): Promise<KubeObject | undefined> {
  const client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  try {
    return await client.get<KubeObject>(path);
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

it("applies the app's sync options and warns about the one Argo CD ignores", async () => {
  const files = { ...registry(), ...webApp('blue') };
  const first = await pipeline.repo.commit(files);
  expect((await pipeline.push(EMPTY, first, { added: Object.keys(files) })).statusCode).toBe(202);
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first);
  expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ syncStatus: 'Synced', revision: first });
  expect((await live('/api/v1/namespaces/shop'))?.metadata.labels).toMatchObject({ team: 'shop' });
  const status = pipeline.github.statuses.filter((entry) => entry.context === 'driftless/web@sandbox' && entry.sha === first).at(-1);
  expect(status?.state).toBe('success');
  expect(status?.description).toMatch(/warning: syncOptions "pruneLast=true" is ignored/);

  // The ConfigMap leaves Git: automated prune is on, but the app's Prune=false keeps it.
  const second = await pipeline.repo.commit({ 'apps/web/config.yaml': null });
  expect((await pipeline.push(first, second, { removed: ['apps/web/config.yaml'] })).statusCode).toBe(202);
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === second);
  expect(await live('/api/v1/namespaces/shop/configmaps/web-config')).toBeDefined();
  const [latest] = await pipeline.store.listHistory('web', 'sandbox', 1);
  expect(latest).toMatchObject({ status: 'Synced', revision: second });
});
