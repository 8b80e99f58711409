// Every object checked, each refusal naming the object, where it came from and the rule.
import { describe, expect, it } from 'vitest';
import type { ProjectSpec } from '../../shared/config/types.ts';
import { projectViolations, type ScopedObject } from '../../shared/project/check-objects.ts';
import { ProjectViolationError } from '../../shared/project/errors.ts';
import { isBadInput } from '../../shared/errors/bad-input.ts';

const teamA: ProjectSpec = {
  name: 'team-a',
  sourceRepos: ['*'],
  destinations: [{ cluster: 'sandbox', namespace: 'team-a' }],
  namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }],
  definedIn: { file: 'driftless/team-a.yaml' },
};
const bounds = { project: teamA, cluster: { name: 'sandbox' } };
const at = (file: string) => ({ file, document: 1, line: 1 });

describe('projectViolations', () => {
  it('names each object the project does not permit, with its file, the rule and the project', () => {
    const objects: ScopedObject[] = [
      { ref: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'grab-admin' }, namespaced: false, source: at('crb.yaml') },
      { ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'planted' }, namespaced: true, source: at('planted.yaml') },
      { ref: { apiVersion: 'v1', kind: 'Secret', namespace: 'team-a', name: 'creds' }, namespaced: true, source: at('secret.yaml') },
      { ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'team-a', name: 'good' }, namespaced: true, source: at('good.yaml') },
    ];
    expect(projectViolations(bounds, objects)).toEqual([
      {
        object: 'ClusterRoleBinding/grab-admin',
        source: at('crb.yaml'),
        rule: 'cluster-scoped kind rbac.authorization.k8s.io/ClusterRoleBinding is not in the clusterResourceWhitelist of project team-a',
      },
      {
        object: 'ConfigMap/kube-system/planted',
        source: at('planted.yaml'),
        rule: 'namespace kube-system on cluster sandbox is not a destination of project team-a',
      },
      { object: 'Secret/team-a/creds', source: at('secret.yaml'), rule: 'kind /Secret is in the namespaceResourceBlacklist of project team-a' },
    ]);
  });

  it('a namespaced object that is permitted by kind still needs its namespace to be a destination', () => {
    const open: ProjectSpec = { ...teamA, clusterResourceWhitelist: [{ group: '*', kind: '*' }], namespaceResourceBlacklist: [] };
    const violations = projectViolations({ project: open, cluster: { name: 'sandbox' } }, [
      { ref: { apiVersion: 'v1', kind: 'Namespace', name: 'kube-system' }, namespaced: false },
      { ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: 'x' }, namespaced: true },
    ]);
    // Argo CD checks only the kind of a Namespace object; we also hold it to the destinations, so
    // a tenant cannot adopt (and later prune) kube-system.
    expect(violations).toEqual([
      { object: 'Namespace/kube-system', rule: 'Namespace kube-system on cluster sandbox is not a destination of project team-a' },
      { object: 'ConfigMap/kube-system/x', rule: 'namespace kube-system on cluster sandbox is not a destination of project team-a' },
    ]);
  });

  it('a Namespace object that names one of the project destinations is permitted when the kind is whitelisted', () => {
    const open: ProjectSpec = { ...teamA, clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] };
    expect(
      projectViolations({ project: open, cluster: { name: 'sandbox' } }, [{ ref: { apiVersion: 'v1', kind: 'Namespace', name: 'team-a' }, namespaced: false }]),
    ).toEqual([]);
  });

  it('the error lists them all, its first line naming the project and every object, and is bad input', () => {
    const error = new ProjectViolationError('team-a', [
      {
        object: 'Namespace/team-a',
        origin: 'created by CreateNamespace=true',
        rule: 'cluster-scoped kind /Namespace is not in the clusterResourceWhitelist of project team-a',
      },
      {
        object: 'Secret/team-a/creds',
        source: { file: 'apps/a/secret.yaml', document: 1, line: 3 },
        rule: 'kind /Secret is in the namespaceResourceBlacklist of project team-a',
      },
    ]);
    expect(error.message.split('\n')).toEqual([
      'project team-a does not permit 2 objects; nothing was applied: Namespace/team-a, Secret/team-a/creds',
      'Namespace/team-a (created by CreateNamespace=true): cluster-scoped kind /Namespace is not in the clusterResourceWhitelist of project team-a',
      'Secret/team-a/creds (apps/a/secret.yaml (document 1, line 3)): kind /Secret is in the namespaceResourceBlacklist of project team-a',
    ]);
    expect(isBadInput(error)).toBe(true);
  });
});
