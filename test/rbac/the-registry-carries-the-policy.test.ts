// The policy reaches the API with the registry: Argo CD's argocd-rbac-cm in any file of the
// registry folder, read by the real loader; no ConfigMap means the built-in readonly default;
// a ConfigMap that cannot be read (in a registry stored before the loader checked it) refuses
// everything, naming its file and line.
import { describe, expect, it } from 'vitest';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { enforcerForRegistry, rbacSourceOf } from '../../shared/rbac/from-registry.ts';
import { LOCAL_IDENTITY, type Identity } from '../../shared/rbac/identity.ts';

const cluster = {
  file: 'driftless/clusters.yaml',
  text: 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: prod }\nspec:\n  kubeconfig: { context: prod }\n',
};
const rbac = (csv: string) => ({
  file: 'driftless/rbac.yaml',
  text: `# the team's access\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: argocd-rbac-cm, namespace: argocd }\ndata:\n  policy.csv: |\n${csv
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')}\n`,
});
const dev: Identity = { user: 'dev', claims: { sub: 'dev', groups: ['developers'] } };

describe('the registry’s argocd-rbac-cm', () => {
  it('is found wherever the registry folder holds it, and enforced', async () => {
    const registry = parseRegistryFiles([cluster, rbac('p, role:dev, applications, sync, team/*, allow\ng, developers, role:dev')]);
    expect(rbacSourceOf(registry)).toMatchObject({ file: 'driftless/rbac.yaml', line: 2 });
    const enforcer = await enforcerForRegistry(registry);
    expect(enforcer.can(dev, 'sync', 'team/api')).toBe(true);
    expect(enforcer.can(dev, 'sync', 'other/api')).toBe(false);
    // The ConfigMap sets no policy.default: as in Argo CD, nothing more for a user it does not name.
    expect(enforcer.can({ user: 'x', claims: { sub: 'x' } }, 'get', 'team/api')).toBe(false);
  });

  it('absent: everybody is role:readonly', async () => {
    const enforcer = await enforcerForRegistry(parseRegistryFiles([cluster]));
    expect(enforcer.can(dev, 'get', 'team/api')).toBe(true);
    expect(enforcer.can(dev, 'sync', 'team/api')).toBe(false);
  });

  it('unreadable: every call is refused with the file, line and problem; local mode still works', async () => {
    // The loader refuses such a policy now (a-bad-policy-fails-the-config-push.test.ts); a
    // registry stored before that check can still hold one, and the API must fail closed on it.
    const registry = parseRegistryFiles([cluster, rbac('p, role:dev, applications, sync, team/*, allow\ng, developers, role:admin')]);
    const param = registry.policies?.params.find((candidate) => candidate.metadata.name === 'argocd-rbac-cm');
    if (!param) throw new Error('the registry lost its argocd-rbac-cm');
    param.data = { 'policy.csv': 'p, role:dev, applications, sync, team/*, alow\ng, developers, role:admin' };
    const enforcer = await enforcerForRegistry(registry);
    expect(enforcer.can(dev, 'get', 'team/api')).toBe(false);
    expect(() => enforcer.require(dev, 'get', 'team/api')).toThrow(
      'the RBAC policy in driftless/rbac.yaml:2 (argocd-rbac-cm) cannot be read, so nothing is allowed until it is fixed: policy.csv line 1: the effect must be allow or deny, got "alow"',
    );
    expect(enforcer.can(LOCAL_IDENTITY, 'sync', 'team/api')).toBe(true);
  });
});
