import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

it('applies a CRD and a custom resource of it in one sync', async () => {
  const app = await writeApp({
    'widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: gear }\nspec: { teeth: 12 }\n',
    'crd.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { plural: widgets, singular: widget, kind: Widget }
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`,
  });
  const result = await syncApp(cluster, 'crds', app);
  expect(result.message).toMatch(/2 created/);
  expect(result.status).toBe('Succeeded');
  const widget = await cluster.client.get<{ spec: { teeth: number } }>('/apis/example.com/v1/namespaces/default/widgets/gear');
  expect(widget.spec.teeth).toBe(12);
});

it('sends NetworkPolicy ingress `from` to the server exactly as rendered', async () => {
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-ingress }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress:
    - from:
        - podSelector: { matchLabels: { role: frontend } }
        - namespaceSelector: { matchLabels: { team: shop } }
      ports: [{ port: 8080 }]
`;
  cluster.sandbox.requests.clear();
  const result = await syncApp(cluster, 'netpol', await writeApp({ 'policy.yaml': policy }));
  expect(result.status).toBe('Succeeded');
  const [write] = writesIn(cluster);
  const body = write.body as { spec: { ingress: Array<{ from: unknown[] }> }; metadata: { annotations: Record<string, string> } };
  expect(body.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { role: 'frontend' } } }, { namespaceSelector: { matchLabels: { team: 'shop' } } }]);
  expect(body.metadata.annotations['driftless.io/tracking-id']).toBe('netpol:networking.k8s.io/NetworkPolicy:default/web-ingress');
  const live = await cluster.client.get<{ spec: { ingress: Array<{ from: unknown[] }> } }>(
    '/apis/networking.k8s.io/v1/namespaces/default/networkpolicies/web-ingress',
  );
  expect(live.spec.ingress[0].from).toHaveLength(2);
});
