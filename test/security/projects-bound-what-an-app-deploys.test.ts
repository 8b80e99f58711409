// Issue 12, item 2, as the attack it is, through the whole pipeline (webhook, queue, worker,
// real git, sandbox cluster): a tenant who may only write the app repository of project
// team-a (namespace team-a, no cluster-scoped kinds, no Secrets) commits a ClusterRoleBinding
// to cluster-admin, a ConfigMap in kube-system and a Secret beside a harmless ConfigMap. The
// sync is refused naming every one of them, the rule and the project; nothing at all is
// written to the cluster — not the harmless ConfigMap, not the namespace CreateNamespace
// would make; the commit gets one failure status; the job is not retried.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectSyncNotRetried } from '../support/not-retried.ts';
import { SANDBOX_CLUSTER } from '../support/sandbox-cluster.ts';
import { appDocument, REPO_URL, sandboxWrites, startPipeline, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline({ maxReceiveCount: 3, visibilityTimeoutSeconds: 1 });
});
afterAll(() => pipeline?.stop());

const registry = {
  'driftless/clusters.yaml': SANDBOX_CLUSTER,
  'driftless/team-a.yaml': `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: team-a, namespace: argocd }
spec:
  sourceRepos: ['${REPO_URL}']
  destinations:
  - { name: sandbox, namespace: team-a }
  namespaceResourceBlacklist:
  - { group: '', kind: Secret }
`,
  'driftless/shop.yaml': appDocument({ name: 'shop', project: 'team-a', namespace: 'team-a' }),
};

const attack = {
  'apps/shop/good.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: shop-settings }\ndata: { color: blue }\n',
  'apps/shop/escalate.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: shop-is-admin }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: default, namespace: team-a }]
`,
  'apps/shop/planted.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: coredns-override, namespace: kube-system }\ndata: { Corefile: ". { forward . 6.6.6.6 }" }\n',
  'apps/shop/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: { name: shop-token }\nstringData: { token: not-for-this-project }\n',
};

it('refuses every object outside project team-a by name and rule, writes nothing, posts failure once and does not retry', async () => {
  const files = { ...registry, ...attack };
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push(EMPTY, sha, { added: Object.keys(files) })).statusCode).toBe(202);

  await expectSyncNotRetried(pipeline, 'shop');

  const target = await pipeline.store.getTarget('shop', 'sandbox');
  expect(target).toMatchObject({ syncStatus: 'Failed', health: 'Unknown', requestedRevision: sha });
  const lines = (target?.message ?? '').split('\n');
  expect(lines[0]).toMatch(/^cannot sync: project team-a does not permit 4 objects; nothing was applied: /);
  expect(lines.slice(1).sort()).toEqual([
    'ClusterRoleBinding/shop-is-admin (apps/shop/escalate.yaml (document 1, line 1)): cluster-scoped kind rbac.authorization.k8s.io/ClusterRoleBinding is not in the clusterResourceWhitelist of project team-a',
    'ConfigMap/kube-system/coredns-override (apps/shop/planted.yaml (document 1, line 1)): namespace kube-system on cluster sandbox is not a destination of project team-a',
    'Namespace/team-a (created by CreateNamespace=true): cluster-scoped kind /Namespace is not in the clusterResourceWhitelist of project team-a',
    'Secret/team-a/shop-token (apps/shop/secret.yaml (document 1, line 1)): kind /Secret is in the namespaceResourceBlacklist of project team-a',
  ]);
  // The harmless ConfigMap is not refused: it is simply not applied with the rest.
  expect(target?.message).not.toContain('shop-settings');

  const statuses = pipeline.github.statuses.filter((status) => status.context === 'driftless/shop@sandbox');
  expect(statuses.map((status) => [status.sha, status.state])).toEqual([
    [sha, 'pending'],
    [sha, 'failure'],
  ]);
  expect(statuses[1].description).toMatch(/^project team-a does not permit 4 objects/);
  const events = pipeline.eventBridge.entries.filter((entry) => JSON.parse(entry.Detail ?? '{}').app === 'shop');
  expect(events.map((entry) => entry.DetailType)).toEqual(['Sync Started', 'Sync Failed']);

  // Nothing written: no object, no namespace; and the Secret's value went nowhere.
  expect(sandboxWrites(pipeline)).toEqual([]);
  const reported = [target?.message, ...statuses.map((status) => status.description), ...events.map((entry) => entry.Detail)].join('\n');
  expect(reported).not.toContain('not-for-this-project');
});
