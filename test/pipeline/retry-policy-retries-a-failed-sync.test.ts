// An app's retry policy (Argo CD's syncPolicy.retry) brings a failed sync back after its
// backoff; the commit status says it is retrying, and the final result is the last attempt's.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';
import { REPO_URL, startPipeline, webApp, type Pipeline } from '../support/pipeline.ts';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline({ maxReceiveCount: 5, visibilityTimeoutSeconds: 1 });
});
afterAll(() => pipeline?.stop());

const registry = {
  'driftless/clusters.yaml': SANDBOX_CLUSTER,
  'driftless/web.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: web }
spec:
  source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/web }
  destination: { name: sandbox, namespace: shop }
  syncPolicy:
    automated: {}
    syncOptions: [CreateNamespace=true]
    retry: { limit: 2, backoff: { duration: 1s, factor: 2, maxDuration: 1m } }
`,
};

it('retries after a failed attempt and ends Synced', async () => {
  const files = { ...registry, ...webApp('blue') };
  const sha = await pipeline.repo.commit(files);
  // The first write of the ConfigMap fails with a server error; the retry goes through.
  pipeline.sandbox.faults.inject({ verb: 'patch', resource: 'configmaps', status: 500, times: 1 });
  expect((await pipeline.push('0000000000000000000000000000000000000000', sha, { added: Object.keys(files) })).statusCode).toBe(202);
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.syncStatus === 'Synced', 30_000);

  const history = await pipeline.store.listHistory('web', 'sandbox', 10);
  expect(history.map((entry) => entry.status)).toEqual(['Synced', 'Failed']);
  const statuses = pipeline.github.statuses.filter((status) => status.context === 'driftless/web@sandbox');
  // started, retrying, started again, done
  expect(statuses.map((status) => status.state)).toEqual(['pending', 'pending', 'pending', 'success']);
  expect(statuses[1].description).toMatch(/^attempt 1 failed, retrying in 1s: /);
});
