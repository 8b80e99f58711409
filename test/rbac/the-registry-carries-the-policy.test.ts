// The policy reaches the API with the registry: Argo CD's argocd-rbac-cm in any file of the
// registry folder, read by the real loader; no ConfigMap means the built-in readonly default;
// a ConfigMap that cannot be read refuses everything, naming its file and line.
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
    const enforcer = await enforcerForRegistry(parseRegistryFiles([cluster, rbac('p, role:dev, applications, sync, team/*, alow\ng, developers, role:admin')]));
    expect(enforcer.can(dev, 'get', 'team/api')).toBe(false);
    expect(() => enforcer.require(dev, 'get', 'team/api')).toThrow(
      'the RBAC policy in driftless/rbac.yaml:2 (argocd-rbac-cm) cannot be read, so nothing is allowed until it is fixed: policy.csv line 1: the effect must be allow or deny, got "alow"',
    );
    expect(enforcer.can(LOCAL_IDENTITY, 'sync', 'team/api')).toBe(true);
  });
});
