// The resource lists of a project, each case a statement of Argo CD's documentation
// (docs/user-guide/projects.md, docs/operator-manual/project-specification.md) or of its
// IsGroupKindPermitted. A kind refused yields the rule naming list and project.
import { describe, expect, it } from 'vitest';
import type { ProjectSpec } from '../../shared/config/types.ts';
import { DEFAULT_PROJECT } from '../../shared/config/normalise-project.ts';
import { kindRefusal } from '../../shared/project/kinds.ts';

const project = (lists: Partial<ProjectSpec> = {}): ProjectSpec => ({
  name: 'team-a',
  sourceRepos: ['*'],
  destinations: [{ server: '*', namespace: 'team-a' }],
  definedIn: { file: 'driftless/team-a.yaml' },
  ...lists,
});
const namespaced = (spec: ProjectSpec, group: string, kind: string) => kindRefusal(spec, { group, kind, name: 'x' }, true);
const clusterScoped = (spec: ProjectSpec, group: string, kind: string, name = 'x') => kindRefusal(spec, { group, kind, name }, false);

describe('cluster-scoped kinds: "cluster-scoped resources are restricted via allow list"', () => {
  it('a project without clusterResourceWhitelist deploys no cluster-scoped kind', () => {
    expect(clusterScoped(project(), 'rbac.authorization.k8s.io', 'ClusterRoleBinding')).toBe(
      'cluster-scoped kind rbac.authorization.k8s.io/ClusterRoleBinding is not in the clusterResourceWhitelist of project team-a',
    );
    expect(clusterScoped(project({ clusterResourceWhitelist: [] }), '', 'Namespace')).toBe(
      'cluster-scoped kind /Namespace is not in the clusterResourceWhitelist of project team-a',
    );
  });

  it('"Deny all cluster-scoped resources from being created, except for Namespace"', () => {
    const spec = project({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }] });
    expect(clusterScoped(spec, '', 'Namespace')).toBeUndefined();
    expect(clusterScoped(spec, 'rbac.authorization.k8s.io', 'ClusterRole')).toMatch(/ClusterRole is not in the clusterResourceWhitelist/);
    // The group is matched too: a Namespace of another group is another kind.
    expect(clusterScoped(spec, 'example.com', 'Namespace')).toMatch(/example\.com\/Namespace is not in the clusterResourceWhitelist/);
  });

  it('the default project "permits ... all resource Kinds" with clusterResourceWhitelist group "*" kind "*", the core group included', () => {
    expect(clusterScoped(DEFAULT_PROJECT, '', 'Namespace')).toBeUndefined();
    expect(clusterScoped(DEFAULT_PROJECT, 'rbac.authorization.k8s.io', 'ClusterRoleBinding')).toBeUndefined();
    expect(namespaced(DEFAULT_PROJECT, '', 'Secret')).toBeUndefined();
  });

  it('"Deny all Namespace resources from being created if their name starts with \'kube-\'": the blacklist wins over the whitelist', () => {
    const spec = project({
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      clusterResourceBlacklist: [{ group: '', kind: 'Namespace', name: 'kube-*' }],
    });
    expect(clusterScoped(spec, '', 'Namespace', 'kube-system')).toBe(
      'cluster-scoped /Namespace kube-system is in the clusterResourceBlacklist of project team-a',
    );
    expect(clusterScoped(spec, '', 'Namespace', 'team-a')).toBeUndefined();
  });

  it('"Name is optional. If specified, only resources with a matching name will be allowed"', () => {
    const spec = project({ clusterResourceWhitelist: [{ group: '', kind: 'Namespace', name: 'team1-*' }] });
    expect(clusterScoped(spec, '', 'Namespace', 'team1-web')).toBeUndefined();
    expect(clusterScoped(spec, '', 'Namespace', 'kube-system')).toBe(
      'cluster-scoped /Namespace kube-system is not in the clusterResourceWhitelist of project team-a (it lists that kind for other names only)',
    );
  });
});

describe('namespaced kinds: "namespaced-scoped resources are restricted via a deny list"', () => {
  it('every namespaced kind is allowed when the project has no namespace lists', () => {
    expect(namespaced(project(), '', 'Secret')).toBeUndefined();
    expect(namespaced(project(), 'apps', 'Deployment')).toBeUndefined();
  });

  it('"Allow all namespaced-scoped resources to be created, except for ResourceQuota, LimitRange, NetworkPolicy"', () => {
    const spec = project({
      namespaceResourceBlacklist: [
        { group: '', kind: 'ResourceQuota' },
        { group: '', kind: 'LimitRange' },
        { group: '', kind: 'NetworkPolicy' },
      ],
    });
    expect(namespaced(spec, '', 'ResourceQuota')).toBe('kind /ResourceQuota is in the namespaceResourceBlacklist of project team-a');
    expect(namespaced(spec, '', 'LimitRange')).toBe('kind /LimitRange is in the namespaceResourceBlacklist of project team-a');
    expect(namespaced(spec, '', 'ConfigMap')).toBeUndefined();
  });

  it('"Deny all namespaced-scoped resources from being created, except for Deployment and StatefulSet"', () => {
    const spec = project({
      namespaceResourceWhitelist: [
        { group: 'apps', kind: 'Deployment' },
        { group: 'apps', kind: 'StatefulSet' },
      ],
    });
    expect(namespaced(spec, 'apps', 'Deployment')).toBeUndefined();
    expect(namespaced(spec, 'apps', 'StatefulSet')).toBeUndefined();
    expect(namespaced(spec, 'apps', 'DaemonSet')).toBe('namespaced kind apps/DaemonSet is not in the namespaceResourceWhitelist of project team-a');
    expect(namespaced(spec, '', 'Secret')).toBe('namespaced kind /Secret is not in the namespaceResourceWhitelist of project team-a');
  });

  it('a whitelist that is set but empty allows no namespaced kind (Argo CD: nil allows all, an empty list none)', () => {
    expect(namespaced(project({ namespaceResourceWhitelist: [] }), '', 'ConfigMap')).toBe(
      'namespaced kind /ConfigMap is not in the namespaceResourceWhitelist of project team-a (the list is set but empty, which allows no namespaced kind)',
    );
  });

  it('"To remove all permissions from the default project": namespaceResourceBlacklist group "*" kind "*" denies every namespaced kind', () => {
    const spec = project({ namespaceResourceBlacklist: [{ group: '*', kind: '*' }] });
    expect(namespaced(spec, '', 'ConfigMap')).toMatch(/kind \/ConfigMap is in the namespaceResourceBlacklist/);
    expect(namespaced(spec, 'apps', 'Deployment')).toMatch(/kind apps\/Deployment is in the namespaceResourceBlacklist/);
  });

  it('a blacklisted kind stays refused when the whitelist also lists it', () => {
    const spec = project({ namespaceResourceWhitelist: [{ group: '*', kind: '*' }], namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }] });
    expect(namespaced(spec, '', 'Secret')).toMatch(/is in the namespaceResourceBlacklist/);
  });

  it('entries are globs on group and kind (filepath.Match), and the lists of one scope do not apply to the other', () => {
    const spec = project({ namespaceResourceBlacklist: [{ group: '*.k8s.io', kind: '*Binding' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] });
    expect(namespaced(spec, 'rbac.authorization.k8s.io', 'RoleBinding')).toMatch(/is in the namespaceResourceBlacklist/);
    expect(namespaced(spec, 'rbac.authorization.k8s.io', 'Role')).toBeUndefined();
    expect(clusterScoped(spec, 'rbac.authorization.k8s.io', 'ClusterRoleBinding')).toBeUndefined();
  });
});
