// Argo CD applies every task of a wave and only then fails the sync when one of them failed
// (gitops-engine pkg/sync/sync_context.go, runTasks: each kind group goes through
// processCreateTasks whatever the state so far). So does Driftless: an object that fails
// does not keep the later kinds of its wave from being applied, the sync fails, and the next
// wave never starts.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';
import { found, WEB_DEPLOYMENT } from './fixtures.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());
afterEach(() => cluster.sandbox.faults.clear());

const files = {
  // Wave 0, in install order: ConfigMaps, then a Service, then a Deployment.
  'config.yaml': `apiVersion: v1
kind: ConfigMap
metadata: { name: refused }
data: { a: "1" }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: accepted }
data: { a: "1" }
`,
  'service.yaml': `apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`,
  'deployment.yaml': WEB_DEPLOYMENT,
  'later.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: later
  annotations: { argocd.argoproj.io/sync-wave: "1" }
data: { a: "1" }
`,
};

it('applies the later kinds of a wave after one object failed, fails the sync and runs no later wave', async () => {
  // The API server refuses this one object every time, past any retry.
  cluster.sandbox.faults.inject({ verb: 'patch', resource: 'configmaps', name: 'refused', status: 500 });
  cluster.sandbox.requests.clear();

  const result = await syncApp(cluster, 'wave-rule', await writeApp(files));

  expect(result.status).toBe('Failed');
  const actions = Object.fromEntries(result.objects.map((change) => [`${change.kind}/${change.name}`, change.action]));
  expect(actions).toMatchObject({
    'ConfigMap/refused': 'failed',
    'ConfigMap/accepted': 'created',
    'Service/web': 'created',
    'Deployment/web': 'created',
  });
  expect(result.message).toMatch(/ConfigMap\/default\/refused/);

  expect(await found(cluster, '/api/v1/namespaces/default/services/web')).toBe(true);
  expect(await found(cluster, '/apis/apps/v1/namespaces/default/deployments/web')).toBe(true);
  // Wave 1 was never applied: not in the cluster, not even asked for.
  expect(await found(cluster, '/api/v1/namespaces/default/configmaps/later')).toBe(false);
  expect(writesIn(cluster).some((entry) => entry.path.endsWith('/configmaps/later'))).toBe(false);
  expect(result.objects.find((change) => change.name === 'later')?.action).not.toBe('created');
});
