// The app-of-apps escape, as the attack it is: a tenant who may only write project team-a's app
// repository renders an AppProject that allows everything and a child Application of project
// `default` deploying a ClusterRoleBinding. In Argo CD those are objects written into its own
// namespace, which team-a's project does not list; here too the parent's project bounds what it
// declares: the sync is refused naming both documents and the rule, nothing joins the registry,
// nothing is written to the cluster, the job is not retried.
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

const files = {
  'driftless/clusters.yaml': SANDBOX_CLUSTER,
  'driftless/team-a.yaml': `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: team-a, namespace: argocd }
spec:
  sourceRepos: ['${REPO_URL}']
  destinations:
  - { name: sandbox, namespace: team-a }
`,
  'driftless/shop.yaml': appDocument({ name: 'shop', project: 'team-a', namespace: 'team-a', createNamespace: false }),
  'apps/shop/wide-open.yaml': `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: anything-goes, namespace: argocd }
spec:
  sourceRepos: ['*']
  destinations: [{ server: '*', namespace: '*' }]
  clusterResourceWhitelist: [{ group: '*', kind: '*' }]
`,
  'apps/shop/escape.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: escape }
spec:
  project: default
  source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/escape }
  destination: { name: sandbox, namespace: kube-system }
`,
  'apps/escape/admin.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: escape-is-admin }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: default, namespace: team-a }]
`,
};

it('refuses the children a tenant app declares outside its project, and nothing joins the registry or the cluster', async () => {
  const sha = await pipeline.repo.commit(files);
  expect((await pipeline.push(EMPTY, sha, { added: Object.keys(files) })).statusCode).toBe(202);

  await expectSyncNotRetried(pipeline, 'shop');

  const target = await pipeline.store.getTarget('shop', 'sandbox');
  const lines = (target?.message ?? '').split('\n');
  expect(lines[0]).toMatch(/^cannot sync: project team-a does not permit 2 objects; nothing was applied: /);
  expect(lines.slice(1).sort()).toEqual([
    'AppProject/argocd/anything-goes (apps/shop/wide-open.yaml (document 1, line 1)): namespace argocd on cluster sandbox is not a destination of project team-a',
    'Application/argocd/escape (apps/shop/escape.yaml (document 1, line 1)): namespace argocd on cluster sandbox is not a destination of project team-a',
  ]);
  const registry = (await pipeline.store.getRegistry())?.registry;
  expect(registry?.apps.map((app) => app.name)).toEqual(['shop']);
  expect(registry?.projects.map((project) => project.name)).toEqual(['team-a']);
  expect(await pipeline.store.getTarget('escape', 'sandbox')).toBeUndefined();
  expect(sandboxWrites(pipeline)).toEqual([]);
});
