// Repositories shaped as an app of apps: a `root` Application in driftless/ whose source is a
// folder (or a chart) of child Applications, each child a small folder of manifests.
import { SANDBOX_CLUSTER } from './sandbox-cluster.ts';
import { REPO_URL } from './pipeline.ts';

/** The root app in driftless/root.yaml, rendering the folder (or chart) at `path`. */
export function rootApp(path = 'apps/root', extra = ''): Record<string, string> {
  return {
    'driftless/clusters.yaml': SANDBOX_CLUSTER,
    'driftless/root.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: root, namespace: argocd }
spec:
  project: default
  source: { repoURL: ${REPO_URL}, targetRevision: main, path: ${path} }
  destination: { name: sandbox, namespace: argocd }
  syncPolicy: { automated: { prune: true } }
${extra}`,
  };
}

export interface ChildOptions {
  wave?: number;
  finalizer?: string;
  /** A chart template's condition around the document (`.Values.<name>.enable`). */
  helmCondition?: boolean;
}

/** A child Application document named `name`, deploying `apps/<name>` to namespace `<name>`. */
export function childApp(name: string, options: ChildOptions = {}): string {
  const annotations = options.wave === undefined ? '' : `\n  annotations: { argocd.argoproj.io/sync-wave: "${options.wave}" }`;
  const finalizers = options.finalizer ? `\n  finalizers: [${options.finalizer}]` : '';
  const document = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd${annotations}${finalizers}
spec:
  project: default
  source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/${name} }
  destination: { name: sandbox, namespace: ${name} }
  syncPolicy:
    automated: { prune: true }
    syncOptions: [CreateNamespace=true]
`;
  return options.helmCondition ? `{{ if .Values.${name}.enable }}\n${document}{{ end }}\n` : document;
}

/** A child's manifests: one ConfigMap whose `value` tells commits apart. */
export function childManifests(name: string, value = 'one'): Record<string, string> {
  return { [`apps/${name}/config.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}-config }\ndata: { value: ${value} }\n` };
}
