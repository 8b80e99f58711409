// The resources finalizer read from the registry's Application files (Argo CD's
// resources-finalizer.argocd.argoproj.io, its foreground/background forms), however the key is
// spelled in YAML: plainly, or as a double-quoted key with escapes (YAML 1.1: "\x61" is "a").
import { describe, expect, it } from 'vitest';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import { withFinalizers } from '../../shared/app-of-apps/finalizers.ts';
import type { RegistryApp } from '../../shared/app-of-apps/types.ts';

const application = (name: string, metadataExtra: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
${metadataExtra}spec:
  project: default
  source: { repoURL: https://github.com/acme/gitops.git, targetRevision: main, path: apps/${name} }
  destination: { name: in-cluster, namespace: ${name} }
`;
const cluster = 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: in-cluster }\nspec:\n  kubeconfig: { context: sandbox }\n';

describe('withFinalizers', () => {
  it('keeps the finalizer of each Application that names one, whatever the spelling, and none elsewhere', () => {
    const files = [
      { file: 'driftless/clusters.yaml', text: cluster },
      { file: 'driftless/plain.yaml', text: application('plain', '  finalizers:\n    - resources-finalizer.argocd.argoproj.io\n') },
      { file: 'driftless/escaped.yaml', text: application('escaped', '  "fin\\x61lizers": ["resources-finalizer.argocd.argoproj.io/background"]\n') },
      { file: 'driftless/none.yaml', text: application('none', '') },
    ];
    const registry = withFinalizers(parseRegistryFiles(files), files);
    const finalizers = Object.fromEntries(registry.apps.map((app) => [app.name, (app as RegistryApp).finalizer]));
    expect(finalizers).toEqual({
      plain: 'resources-finalizer.argocd.argoproj.io',
      escaped: 'resources-finalizer.argocd.argoproj.io/background',
      none: undefined,
    });
  });
});
