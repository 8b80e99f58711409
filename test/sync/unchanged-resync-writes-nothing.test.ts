import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

const manifests = {
  'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: quiet }\n',
  'app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: quiet }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ containerPort: 8080 }]
          resources: { requests: { cpu: 1000m, memory: 1Gi } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: quiet }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
---
apiVersion: v1
kind: Secret
metadata: { name: creds, namespace: quiet }
stringData: { password: hunter2 }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: quiet }
data: { color: blue }
`,
};

it('writes nothing when neither Git nor the cluster changed', async () => {
  const app = await writeApp(manifests);
  const first = await syncApp(cluster, 'quiet', app);
  expect(first.status).toBe('Succeeded');
  expect(first.objects.map((change) => change.action)).toEqual(['created', 'created', 'created', 'created', 'created']);

  cluster.sandbox.requests.clear();
  const second = await syncApp(cluster, 'quiet', app, first.inventory);
  expect(second.status).toBe('Succeeded');
  expect(second.health).toBe('Healthy');
  expect(second.objects.map((change) => change.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
  expect(writesIn(cluster)).toEqual([]);
  // One read per resource and namespace, not one per object.
  expect(cluster.sandbox.requests.entries().filter((entry) => entry.verb === 'get' || entry.verb === 'list').length).toBeLessThanOrEqual(6);
});

it('re-applies an object that drifted even though Git did not change it', async () => {
  const app = await writeApp(manifests);
  const first = await syncApp(cluster, 'quiet', app);
  await cluster.client.request({
    method: 'PATCH',
    path: '/api/v1/namespaces/quiet/configmaps/settings',
    body: { data: { color: 'red' } },
    contentType: 'application/merge-patch+json',
  });
  cluster.sandbox.requests.clear();
  const second = await syncApp(cluster, 'quiet', app, first.inventory);
  const settings = second.objects.find((change) => change.name === 'settings');
  expect(settings?.action).toBe('configured');
  expect(writesIn(cluster).map((entry) => entry.path.replace(/\?.*/, ''))).toEqual(['/api/v1/namespaces/quiet/configmaps/settings']);
});

it('applies an object whose field was removed in Git, and the field leaves the cluster', async () => {
  const app = await writeApp(manifests);
  const first = await syncApp(cluster, 'quiet', app);
  const changed = await writeApp({ ...manifests, 'app.yaml': manifests['app.yaml'].replace('data: { color: blue }', 'data: {}') });
  const second = await syncApp(cluster, 'quiet', changed, first.inventory);
  expect(second.objects.find((change) => change.name === 'settings')?.action).toBe('configured');
  const live = await cluster.client.get<{ data?: Record<string, string> }>('/api/v1/namespaces/quiet/configmaps/settings');
  expect(live.data ?? {}).toEqual({});
});
