// A change to the config repository's registry folder previews the apps whose definition it
// adds or changes, from the head's definitions: a new app into a namespace that does not exist
// yet (CreateNamespace) shows the Namespace and its objects as created, its project's refusal
// as a verdict naming the rule, and the cluster is left as it was.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Registry } from '../../shared/config/types.ts';
import { previewCheckOutput } from '../../shared/preview/markdown.ts';
import { preview } from '../../shared/preview/preview.ts';
import type { PreviewReport } from '../../shared/preview/types.ts';
import { MemoryRenderCache } from '../../shared/restore/memory-render-cache.ts';
import { clusterConnector, gitHub, sourceFetcher } from '../../shared/runtime/environment.ts';
import { appDocument, GITHUB_TOKEN, REPO_URL, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';

// Namespaces team-a-* and the kind Namespace; no other cluster-scoped kind.
const project = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: team-a, namespace: argocd }
spec:
  sourceRepos: ['*']
  destinations: [{ name: sandbox, namespace: 'team-a-*' }]
  clusterResourceWhitelist: [{ group: '', kind: Namespace }]
`;

let pipeline: Pipeline;
let report: PreviewReport;

beforeAll(async () => {
  pipeline = await startPipeline();
  const base = { ...webRegistry(), ...webApp('blue'), 'driftless/team-a.yaml': project };
  const baseSha = await pipeline.repo.commit(base);
  expect((await pipeline.push(EMPTY, baseSha, { added: Object.keys(base) })).statusCode).toBe(202);
  await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.syncStatus === 'Synced');

  await pipeline.repo.git('checkout', '--quiet', '-b', 'new-app');
  const head = {
    'driftless/team-app.yaml': appDocument({ name: 'team-app', namespace: 'team-a-shop', project: 'team-a' }),
    'apps/team-app/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { k: v }\n',
    // Outside the project's namespaces: an object someone else made, that the app must not get to read.
    'apps/team-app/peek.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: cluster-settings, namespace: kube-system }\ndata: { k: v }\n',
    'apps/team-app/role.yaml':
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: team-a-everything }\nrules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]\n",
  };
  const headSha = await pipeline.repo.commit(head);
  const { connectKubeconfig } = await import('../../shared/kube/connect.ts');
  const admin = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  await admin.request({
    method: 'POST',
    path: '/api/v1/namespaces/kube-system/configmaps',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-settings' }, data: { adminOnly: 'not-for-team-a' } }),
  });
  admin.close();
  const registry = (await pipeline.store.getRegistry())?.registry as Registry;
  pipeline.sandbox.requests.clear();
  report = await preview(
    { repoURL: REPO_URL, base: baseSha, head: headSha, changedFiles: Object.keys(head).sort() },
    {
      registry,
      sources: sourceFetcher(gitHub(process.env, { token: GITHUB_TOKEN }), process.env),
      renders: new MemoryRenderCache(),
      connect: clusterConnector(process.env),
      store: pipeline.store,
      configRepo: { repoURL: REPO_URL, dir: 'driftless' },
    },
  );
}, 120_000);
afterAll(() => pipeline?.stop());

it('previews the app the registry change adds, and not the unchanged one', () => {
  expect(report.targets.map((target) => `${target.app}@${target.cluster}`)).toEqual(['team-app@sandbox']);
});

it('shows the namespace CreateNamespace makes and the objects in it as created', () => {
  const [target] = report.targets;
  expect(target.error).toBeUndefined();
  expect(target.create.map((ref) => `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`).sort()).toEqual([
    'ConfigMap/team-a-shop/settings',
    'Namespace//team-a-shop',
  ]);
  expect(target.change).toEqual([]);
  expect(target.diff).toContain('+++ head/ConfigMap/team-a-shop/settings');
});

it("names the project's refusals, as a sync would meet them, and shows nothing of those objects", () => {
  const [target] = report.targets;
  // In plan order: ConfigMaps before cluster roles, as Helm installs them.
  expect(target.verdicts).toEqual([
    {
      object: 'ConfigMap/kube-system/cluster-settings',
      policy: 'project team-a',
      allowed: false,
      message: 'namespace kube-system on cluster sandbox is not a destination of project team-a',
    },
    {
      object: 'ClusterRole/team-a-everything',
      policy: 'project team-a',
      allowed: false,
      message: 'cluster-scoped kind rbac.authorization.k8s.io/ClusterRole is not in the clusterResourceWhitelist of project team-a',
    },
  ]);
  expect(target.diff).not.toContain('team-a-everything');
  expect(target.diff).not.toContain('cluster-settings');
  expect(JSON.stringify(report)).not.toContain('not-for-team-a');
  expect(previewCheckOutput(report).title).toContain('1 refused by policy');
});

it('writes nothing: the namespace is still not there', async () => {
  const writes = pipeline.sandbox.requests.entries().filter((entry) => entry.method !== 'GET' && entry.query.dryRun !== 'All');
  expect(writes).toEqual([]);
  const { connectKubeconfig } = await import('../../shared/kube/connect.ts');
  const client = await connectKubeconfig({ kubeconfigYaml: pipeline.sandbox.kubeconfig() });
  try {
    await expect(client.get('/api/v1/namespaces/team-a-shop')).rejects.toMatchObject({ code: 404 });
  } finally {
    client.close();
  }
});
