import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

it('fails at the timeout, naming the Deployment that never became ready, and stops before the next wave', async () => {
  const app = await writeApp({
    'stuck.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: stuck
  annotations: { sandbox.driftless.io/never-ready: "true" }
spec:
  selector: { matchLabels: { app: stuck } }
  template:
    metadata: { labels: { app: stuck } }
    spec: { containers: [{ name: app, image: "nginx:1.27" }] }
`,
    'next.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: next-wave\n  annotations: { argocd.argoproj.io/sync-wave: "1" }\ndata: {}\n',
  });
  const result = await syncApp(cluster, 'stuck', app, undefined, { timeoutMs: 1_500 });
  expect(result.status).toBe('Failed');
  expect(result.message).toMatch(/Deployment\/default\/stuck: not healthy before the sync timed out: Progressing/);
  expect(result.objects.map((change) => change.name)).not.toContain('next-wave');
});
