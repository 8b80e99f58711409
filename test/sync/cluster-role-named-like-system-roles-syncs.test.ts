// RBAC names are path segments, not DNS names (ValidateRBACName), so a ClusterRole and its
// binding named like the cluster's own `system:` roles sync as they would on EKS.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, syncApp, writeApp, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

it('syncs a ClusterRole named system:foo and a binding to it', async () => {
  const app = await writeApp({
    'rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: "system:foo" }
rules: [{ apiGroups: [""], resources: [pods], verbs: [get, list] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: "system:foo" }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:foo" }
subjects: [{ kind: Group, apiGroup: rbac.authorization.k8s.io, name: "system:authenticated" }]
`,
  });
  const result = await syncApp(cluster, 'rbac', app);
  expect(result.status).toBe('Succeeded');
  expect(result.objects.map((change) => [change.kind, change.name, change.action])).toEqual([
    ['ClusterRole', 'system:foo', 'created'],
    ['ClusterRoleBinding', 'system:foo', 'created'],
  ]);
  const live = await cluster.client.request<{ metadata: { name: string } }>({
    method: 'GET',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:foo',
  });
  expect(live.metadata.name).toBe('system:foo');
});
