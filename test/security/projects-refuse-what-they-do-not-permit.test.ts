// Issue 12, item 2, on a real API server: what a project does not permit is refused before
// the first write, whatever carries it — an ordinary object, a hook, a custom resource whose
// CRD comes in the same sync, the namespace CreateNamespace would make — and what it does
// permit goes on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBadInput } from '../../shared/errors/bad-input.ts';
import { ProjectViolationError } from '../../shared/project/errors.ts';
import { startCluster, writeApp, writesIn, type TestCluster } from '../support/cluster.ts';
import { found, hookJob } from '../sync/fixtures.ts';
import { projectFrom, rejection, syncInProject } from '../project/bounded-sync.ts';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.stop());

// Namespaces it may create, nothing else cluster-scoped; namespaces team-a-* and not kube-system.
const NAMESPACES_ONLY = projectFrom(`apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: team-a, namespace: argocd}
spec:
  sourceRepos: ['*']
  destinations:
  - {name: sandbox, namespace: 'team-a-*'}
  - {name: sandbox, namespace: '!kube-system'}
  clusterResourceWhitelist:
  - {group: '', kind: Namespace}
`);

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name} }\n`;
const configMap = (name: string, ns: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: ${ns} }\ndata: { k: v }\n`;
const clusterRole = `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: { name: team-a-everything }\nrules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]\n`;

/** Runs `attempt` and returns its error and the writes the cluster saw meanwhile. */
async function refusedWith(attempt: () => Promise<unknown>): Promise<{ error: Error; writes: ReturnType<typeof writesIn> }> {
  const before = writesIn(cluster).length;
  const error = await rejection(attempt());
  return { error, writes: writesIn(cluster).slice(before) };
}

describe('a project with clusterResourceWhitelist [{group: "", kind: Namespace}]', () => {
  it('refuses a ClusterRole, writing nothing, not even the Namespace it allows', async () => {
    const root = await writeApp({ 'ns.yaml': namespace('team-a-one'), 'role.yaml': clusterRole, 'cm.yaml': configMap('settings', 'team-a-one') });
    const { error, writes } = await refusedWith(() => syncInProject(cluster, 'team-a-app', root, { project: NAMESPACES_ONLY }));
    expect(error).toBeInstanceOf(ProjectViolationError);
    expect(isBadInput(error)).toBe(true);
    expect((error as ProjectViolationError).violations.map((violation) => [violation.object, violation.rule])).toEqual([
      ['ClusterRole/team-a-everything', 'cluster-scoped kind rbac.authorization.k8s.io/ClusterRole is not in the clusterResourceWhitelist of project team-a'],
    ]);
    expect(error.message).toContain('role.yaml');
    expect(writes).toEqual([]);
    expect(await found(cluster, '/api/v1/namespaces/team-a-one')).toBe(false);
  });

  it('allows the Namespace and what goes in it', async () => {
    const root = await writeApp({ 'ns.yaml': namespace('team-a-one'), 'cm.yaml': configMap('settings', 'team-a-one') });
    const result = await syncInProject(cluster, 'team-a-app', root, { project: NAMESPACES_ONLY });
    expect(result.status).toBe('Succeeded');
    expect(await found(cluster, '/api/v1/namespaces/team-a-one/configmaps/settings')).toBe(true);
  });

  it('refuses kube-system through the !kube-system destination, in an ordinary object and in a PreSync hook', async () => {
    const root = await writeApp({
      'cm.yaml': configMap('planted', 'kube-system'),
      'hook.yaml': hookJob('sneak', { 'argocd.argoproj.io/hook': 'PreSync' }, { namespace: 'kube-system' }),
      'ok.yaml': configMap('fine', 'team-a-one'),
    });
    const { error, writes } = await refusedWith(() => syncInProject(cluster, 'team-a-app', root, { project: NAMESPACES_ONLY }));
    expect((error as ProjectViolationError).violations.map((violation) => [violation.object, violation.rule])).toEqual([
      ['Job/kube-system/sneak', 'namespace kube-system on cluster sandbox is not a destination of project team-a'],
      ['ConfigMap/kube-system/planted', 'namespace kube-system on cluster sandbox is not a destination of project team-a'],
    ]);
    expect(writes).toEqual([]);
  });

  it('refuses a cluster-scoped custom resource whose CRD is in the same sync, by the scope the CRD declares', async () => {
    const project = { ...NAMESPACES_ONLY, clusterResourceWhitelist: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }] };
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: gates.example.com }
spec:
  group: example.com
  scope: Cluster
  names: { plural: gates, singular: gate, kind: Gate }
  versions: [{ name: v1, served: true, storage: true, schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } } }]
`;
    const root = await writeApp({ 'crd.yaml': crd, 'gate.yaml': 'apiVersion: example.com/v1\nkind: Gate\nmetadata: { name: open }\n' });
    const { error, writes } = await refusedWith(() => syncInProject(cluster, 'team-a-crd', root, { project }));
    expect((error as ProjectViolationError).violations.map((violation) => violation.rule)).toEqual([
      'cluster-scoped kind example.com/Gate is not in the clusterResourceWhitelist of project team-a',
    ]);
    expect(writes).toEqual([]);
  });
});

describe('CreateNamespace', () => {
  const noClusterKinds = { ...NAMESPACES_ONLY, clusterResourceWhitelist: undefined };

  it('counts as the cluster-scoped kind Namespace: refused, and nothing else written, when the project does not whitelist it', async () => {
    const root = await writeApp({ 'cm.yaml': configMap('settings', 'team-a-two') });
    const { error, writes } = await refusedWith(() =>
      syncInProject(cluster, 'team-a-two', root, { project: noClusterKinds, namespace: 'team-a-two', options: { createNamespace: 'team-a-two' } }),
    );
    expect((error as ProjectViolationError).violations).toEqual([
      {
        object: 'Namespace/team-a-two',
        origin: 'created by CreateNamespace=true',
        rule: 'cluster-scoped kind /Namespace is not in the clusterResourceWhitelist of project team-a',
      },
    ]);
    expect(writes).toEqual([]);
  });

  it('needs no permission when the namespace already exists, as Argo CD creates nothing then', async () => {
    const root = await writeApp({ 'cm.yaml': configMap('three', 'team-a-one') });
    const result = await syncInProject(cluster, 'team-a-three', root, {
      project: noClusterKinds,
      namespace: 'team-a-one',
      options: { createNamespace: 'team-a-one' },
    });
    expect(result.status).toBe('Succeeded');
    expect(await found(cluster, '/api/v1/namespaces/team-a-one/configmaps/three')).toBe(true);
  });
});
