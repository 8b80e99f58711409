// A policy.csv that cannot be read fails the config push as every other registry problem does:
// parseRegistryFiles (what the registry refresh calls) throws a RegistryError naming the file,
// the line of that file holding the bad policy line, the ConfigMap and the key. A good policy,
// with overlays, loads as before.
import { describe, expect, it } from 'vitest';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { RegistryError } from '../../shared/config/errors.ts';

const cluster = {
  file: 'driftless/clusters.yaml',
  text: 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: prod }\nspec:\n  kubeconfig: { context: prod }\n',
};

/** The error's problem lines (its message after the first line), or a failure when it loads. */
function problemsOf(text: string): string[] {
  try {
    parseRegistryFiles([cluster, { file: 'driftless/rbac.yaml', text }]);
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    return (error as Error).message
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
  }
  throw new Error('the registry loaded');
}

describe('argocd-rbac-cm at config push', () => {
  it('a bad p line in policy.csv: the file and the line of the file it is on', () => {
    const text = [
      '# the team’s access', // 1
      'apiVersion: v1', // 2
      'kind: ConfigMap', // 3
      'metadata: { name: argocd-rbac-cm, namespace: argocd }', // 4
      'data:', // 5
      '  policy.default: role:readonly', // 6
      '  policy.csv: |', // 7
      '    p, role:dev, applications, sync, team/*, allow', // 8
      '    g, developers, role:dev', // 9
      '    p, role:ops, applications, sync, */*, alow', // 10
      '',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'driftless/rbac.yaml:10: ConfigMap/argocd-rbac-cm: data.policy.csv: policy.csv line 3: the effect must be allow or deny, got "alow"',
    ]);
  });

  it('every bad line, in an overlay too, and a wrong matchMode, each at its line', () => {
    const text = [
      'apiVersion: v1', // 1
      'kind: ConfigMap', // 2
      'metadata: { name: argocd-rbac-cm }', // 3
      'data:', // 4
      '  policy.matchMode: globs', // 5
      '  policy.csv: |', // 6
      '    # comments and blank lines are nothing', // 7
      '', // 8
      '    x, role:dev, applications, get, */*, allow', // 9
      '  policy.team.csv: "g, developers"', // 10
      '',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'driftless/rbac.yaml:5: ConfigMap/argocd-rbac-cm: data.policy.matchMode: policy.matchMode must be glob or regex, got "globs"',
      'driftless/rbac.yaml:9: ConfigMap/argocd-rbac-cm: data.policy.csv: policy.csv line 3: a line starts with p or g, this one with "x"',
      'driftless/rbac.yaml:10: ConfigMap/argocd-rbac-cm: data.policy.team.csv: policy.team.csv line 1: a g line is g, subject, role; this one has 1 fields after g',
    ]);
  });

  it('a good policy with an overlay loads, kept where the API reads it', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: argocd-rbac-cm }\ndata:\n  policy.csv: |\n    g, admins, role:admin\n  policy.team.csv: |\n    p, role:dev, applications, sync, "team/*", allow\n';
    const registry = parseRegistryFiles([cluster, { file: 'driftless/rbac.yaml', text }]);
    expect(registry.policies?.params.map((param) => param.metadata.name)).toEqual(['argocd-rbac-cm']);
  });

  it('a second argocd-rbac-cm (another namespace, another file) is a problem: the API reads one policy', () => {
    const policy = (namespace: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: argocd-rbac-cm${namespace} }\ndata:\n  policy.csv: |\n    g, admins, role:admin\n`;
    expect(() =>
      parseRegistryFiles([
        cluster,
        { file: 'driftless/rbac.yaml', text: policy('') },
        { file: 'driftless/team/rbac.yaml', text: policy(', namespace: argocd') },
      ]),
    ).toThrow(
      'driftless/team/rbac.yaml:1: ConfigMap/argocd-rbac-cm: a second argocd-rbac-cm (the first is at driftless/rbac.yaml:1): keep one, the API reads one policy',
    );
  });

  it('another ConfigMap (an admission policy’s parameters) is not read as a policy', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: limits }\ndata:\n  policy.csv: not a policy\n';
    expect(parseRegistryFiles([cluster, { file: 'driftless/params.yaml', text }]).policies?.params).toHaveLength(1);
  });
});
