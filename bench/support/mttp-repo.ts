// The MTTP benchmark's Git side, in Flux's shape (fluxcd/flux-benchmark): N apps, each a folder
// with a Deployment scaled to zero, a ServiceAccount, a Service and an Ingress, deployed to a
// namespace of its own; one local repository that is both the config repo (every Application
// under driftless/, and the cluster) and the apps' source, committed once.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Driftless MTTP',
  GIT_AUTHOR_EMAIL: 'mttp@driftless.invalid',
  GIT_COMMITTER_NAME: 'Driftless MTTP',
  GIT_COMMITTER_EMAIL: 'mttp@driftless.invalid',
};

export const CLUSTER = 'local';
/** Files written at once while building the repository. */
const WRITE_CHUNK = 200;

export function mttpAppName(index: number): string {
  return `app-${String(index).padStart(5, '0')}`;
}

function application(repo: string, app: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${app} }
spec:
  project: default
  source: { repoURL: ${repo}, targetRevision: main, path: apps/${app} }
  destination: { name: ${CLUSTER}, namespace: ${app} }
  syncPolicy:
    automated: { prune: true }
    syncOptions: [CreateNamespace=true]
`;
}

/** The four objects of Flux's benchmark app, one file each. */
function appFiles(app: string): Record<string, string> {
  return {
    [`apps/${app}/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata: { name: podinfo }
spec:
  replicas: 0
  selector: { matchLabels: { app: podinfo } }
  template:
    metadata: { labels: { app: podinfo } }
    spec:
      serviceAccountName: podinfo
      containers: [{ name: podinfo, image: "ghcr.io/stefanprodan/podinfo:6.7.0", ports: [{ containerPort: 9898 }] }]
`,
    [`apps/${app}/serviceaccount.yaml`]: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: podinfo }\n',
    [`apps/${app}/service.yaml`]: 'apiVersion: v1\nkind: Service\nmetadata: { name: podinfo }\nspec: { selector: { app: podinfo }, ports: [{ port: 9898 }] }\n',
    [`apps/${app}/ingress.yaml`]: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: podinfo }
spec:
  rules:
    - host: ${app}.example.invalid
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: podinfo, port: { number: 9898 } } } }] }
`,
  };
}

/** Writes and commits the repository; returns the commit. */
export async function createMttpRepo(dir: string, apps: number, kubeContext: string): Promise<string> {
  const git = async (...args: string[]) => (await run('git', args, { cwd: dir, env: GIT_ENV, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
  await mkdir(dir, { recursive: true });
  await git('init', '--quiet', '--initial-branch=main');
  const files: Array<[string, string]> = [
    [
      'driftless/cluster.yaml',
      `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: ${CLUSTER} }\nspec:\n  kubeconfig: { context: ${kubeContext} }\n`,
    ],
  ];
  for (let index = 0; index < apps; index++) {
    const app = mttpAppName(index);
    files.push([`driftless/apps/${app}.yaml`, application(dir, app)], ...Object.entries(appFiles(app)));
  }
  for (let start = 0; start < files.length; start += WRITE_CHUNK) {
    await Promise.all(
      files.slice(start, start + WRITE_CHUNK).map(async ([file, text]) => {
        await mkdir(dirname(join(dir, file)), { recursive: true });
        await writeFile(join(dir, file), text);
      }),
    );
  }
  await git('add', '--all');
  await git('commit', '--quiet', '-m', `mttp: ${apps} apps`);
  return git('rev-parse', 'HEAD');
}
