// The guestbook ApplicationSet of the rollout pipeline tests: the registry as the refresh stores
// what the set generates (one app per cluster, labelled env=<cluster>, on the one sandbox) and the
// app's files at a colour (a Deployment that becomes ready, one that never does, or a failing Job).
import type { ApplicationSetSpec, RollingSyncStep } from '../../shared/appset/types.ts';
import { parseRegistryFiles } from '../../shared/config/load.ts';
import type { Registry } from '../../shared/config/types.ts';
import { REPO_URL } from './pipeline.ts';

export const byEnv = (env: string): RollingSyncStep => ({ matchExpressions: [{ key: 'env', operator: 'In', values: [env] }] });

/** The registry as the refresh stores what the set generates: one app per cluster, labelled env=<cluster>. */
export function guestbookRegistry(envs: readonly string[], steps: RollingSyncStep[]): Registry {
  const clusters = envs
    .map(
      (env) =>
        `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: ${env}, labels: { env: ${env} } }\nspec:\n  kubeconfig: { context: sandbox }\n`,
    )
    .join('---\n');
  const apps = envs
    .map(
      (env) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: guestbook-${env}, labels: { env: ${env} } }
spec:
  project: default
  source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/guestbook }
  destination: { name: ${env}, namespace: gb-${env} }
  syncPolicy: { automated: { prune: true }, syncOptions: [CreateNamespace=true] }
`,
    )
    .join('---\n');
  const parsed = parseRegistryFiles([
    { file: 'driftless/clusters.yaml', text: clusters },
    { file: 'driftless/guestbook.yaml', text: apps },
  ]);
  const set: ApplicationSetSpec = {
    name: 'guestbook',
    source: 'argo',
    goTemplate: false,
    goTemplateOptions: [],
    generators: [],
    template: {},
    applicationsSync: 'sync',
    preserveResourcesOnDeletion: false,
    strategy: { type: 'RollingSync', steps },
    definedIn: { file: 'driftless/guestbook.yaml', line: 1 },
  };
  return { ...parsed, apps: parsed.apps.map((app) => ({ ...app, applicationSet: 'guestbook' })), applicationSets: [set] };
}

export function guestbook(color: string, deployment: 'ready' | 'never-ready' | 'failing-job' = 'ready'): Record<string, string> {
  const files: Record<string, string> = {
    'apps/guestbook/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: guestbook }\ndata: { color: ${color} }\n`,
  };
  if (deployment === 'failing-job') {
    files['apps/guestbook/deploy.yaml'] = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate-${color}
  annotations: { sandbox.driftless.io/fail: "true" }
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: migrate, image: "busybox:1.37", command: ["false"] }]
`;
    return files;
  }
  const annotations = deployment === 'never-ready' ? '\n  annotations: { sandbox.driftless.io/never-ready: "true" }' : '';
  files['apps/guestbook/deploy.yaml'] = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: guestbook${annotations}
spec:
  replicas: 1
  selector: { matchLabels: { app: guestbook } }
  template:
    metadata: { labels: { app: guestbook, color: ${color} } }
    spec: { containers: [{ name: guestbook, image: "nginx:1.27" }] }
`;
  return files;
}
