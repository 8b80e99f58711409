// The resource allow and deny lists of a project, in Argo CD's AppProject and in our
// Project: read with the meaning Argo CD gives them, a malformed pattern refused at its line.
import { describe, expect, it } from 'vitest';
import { problemsOf, registryOf } from './registry-files.ts';

const APP_PROJECT = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: team-a, namespace: argocd}
spec:
  sourceRepos: ['*']
  destinations:
  - {server: '*', namespace: 'team-a-*'}
  - {server: '*', namespace: '!kube-system'}
  clusterResourceWhitelist:
  - {group: '', kind: Namespace, name: ''}
  clusterResourceBlacklist:
  - {group: '', kind: Namespace, name: 'kube-*'}
  namespaceResourceWhitelist: []
  namespaceResourceBlacklist:
  - {group: '', kind: Secret}
`;

const OUR_PROJECT = `apiVersion: driftless.io/v1alpha1
kind: Project
metadata: {name: team-b}
spec:
  clusterResourceWhitelist:
  - {group: rbac.authorization.k8s.io, kind: 'Cluster*'}
  namespaceResourceBlacklist:
  - {group: '*', kind: NetworkPolicy}
`;

const app = (name: string, namespace: string, project = 'team-a') => `apiVersion: driftless.io/v1alpha1
kind: Application
metadata: {name: ${name}}
spec:
  project: ${project}
  source: {repoURL: https://github.com/acme/web, path: deploy}
  destination: {name: dev, namespace: ${namespace}}
`;

describe('project resource lists', () => {
  it('are read from an AppProject as written: an empty namespace whitelist stays empty, a name of "" is any name', () => {
    const [project] = registryOf({ 'driftless/team-a.yaml': APP_PROJECT }).projects;
    expect(project).toMatchObject({
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      clusterResourceBlacklist: [{ group: '', kind: 'Namespace', name: 'kube-*' }],
      namespaceResourceWhitelist: [],
      namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }],
    });
    expect(project.clusterResourceWhitelist?.[0]).not.toHaveProperty('name');
  });

  it('are taken by our Project too, and absent lists stay absent (Argo CD defaults: no cluster kind, every namespaced kind)', () => {
    const [project] = registryOf({ 'driftless/team-b.yaml': OUR_PROJECT }).projects;
    expect(project.clusterResourceWhitelist).toEqual([{ group: 'rbac.authorization.k8s.io', kind: 'Cluster*' }]);
    expect(project.namespaceResourceBlacklist).toEqual([{ group: '*', kind: 'NetworkPolicy' }]);
    expect(project).not.toHaveProperty('clusterResourceBlacklist');
    expect(project).not.toHaveProperty('namespaceResourceWhitelist');
  });

  it('refuse a malformed pattern, which would silently match nothing, and an entry without its kind', () => {
    const bad = OUR_PROJECT.replace("kind: 'Cluster*'", "kind: 'Cluster[Role'").replace('kind: NetworkPolicy', 'knd: NetworkPolicy');
    expect(problemsOf({ 'driftless/team-b.yaml': bad })).toEqual([
      'driftless/team-b.yaml:6: Project/team-b: spec.clusterResourceWhitelist[0].kind: is not a valid pattern (Go filepath.Match: *, ?, [a-z], [^a-z], \\ escapes)',
      'driftless/team-b.yaml:8: Project/team-b: spec.namespaceResourceBlacklist[0].kind: is required',
      'driftless/team-b.yaml:8: Project/team-b: spec.namespaceResourceBlacklist[0].knd: unknown field (misspelt? fields are case-sensitive)',
    ]);
  });

  it('a !kube-system destination refuses an app in kube-system and allows one in team-a-web', () => {
    expect(
      problemsOf({ 'driftless/team-a.yaml': APP_PROJECT, 'driftless/a.yaml': app('sys', 'kube-system'), 'driftless/b.yaml': app('web', 'team-a-web') }),
    ).toEqual(['driftless/a.yaml:7: Application/sys: spec.destination: project "team-a" does not allow cluster "dev" namespace "kube-system"']);
  });
});
