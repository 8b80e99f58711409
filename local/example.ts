// The example served when `npm start` is given no configuration: one local git repository
// with the registry under driftless/ and three apps (plain YAML, Kustomize, Helm), synced
// automatically with prune and selfHeal, and a post-commit hook that posts a signed push
// webhook to local mode for every commit.
import { execFile } from 'node:child_process';
import { access, chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'Driftless example', GIT_AUTHOR_EMAIL: 'example@driftless.invalid', GIT_COMMITTER_NAME: 'Driftless example', GIT_COMMITTER_EMAIL: 'example@driftless.invalid' };

function application(name: string, repo: string, path: string, namespace: string, extra = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  project: default
  source:
    repoURL: ${repo}
    targetRevision: main
    path: ${path}
${extra}  destination:
    name: local
    namespace: ${namespace}
  syncPolicy:
    automated: { prune: true, selfHeal: true }
    syncOptions: [CreateNamespace=true]
`;
}

function files(repo: string, context: string): Record<string, string> {
  return {
    'README.md': '# Driftless example\n\nCommit here and watch the change reach the cluster: `git commit -am "..."`.\n',
    'driftless/cluster.yaml': `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: local\nspec:\n  kubeconfig:\n    context: ${context}\n`,
    'driftless/guestbook.yaml': application('guestbook', repo, 'apps/guestbook', 'guestbook'),
    'driftless/podinfo.yaml': application('podinfo', repo, 'apps/podinfo/overlays/dev', 'podinfo'),
    'driftless/redis.yaml': application('redis', repo, 'apps/redis', 'redis', '    helm:\n      releaseName: cache\n      parameters:\n        - { name: replicas, value: "1" }\n'),
    'apps/guestbook/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: guestbook-ui
spec:
  replicas: 1
  selector: { matchLabels: { app: guestbook-ui } }
  template:
    metadata: { labels: { app: guestbook-ui } }
    spec:
      containers:
        - name: guestbook-ui
          image: gcr.io/heptio-images/ks-guestbook-demo:0.2
          ports: [{ containerPort: 80 }]
`,
    'apps/guestbook/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: guestbook-ui\nspec:\n  selector: { app: guestbook-ui }\n  ports: [{ port: 80, targetPort: 80 }]\n',
    'apps/guestbook/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: guestbook-config\ndata:\n  greeting: hello\n',
    'apps/podinfo/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'apps/podinfo/base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
spec:
  selector: { matchLabels: { app: podinfo } }
  template:
    metadata: { labels: { app: podinfo } }
    spec:
      containers: [{ name: podinfo, image: "ghcr.io/stefanprodan/podinfo:6.7.0", ports: [{ containerPort: 9898 }] }]
`,
    'apps/podinfo/overlays/dev/kustomization.yaml': 'resources: [../../base]\nnamePrefix: dev-\ncommonLabels: { env: dev }\nconfigMapGenerator:\n  - name: podinfo-settings\n    literals: [color=blue]\n',
    'apps/redis/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 0.1.0\n',
    'apps/redis/values.yaml': 'replicas: 1\nimage: redis:7.4\n',
    'apps/redis/templates/statefulset.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ .Release.Name }}-redis
spec:
  serviceName: {{ .Release.Name }}-redis
  replicas: {{ .Values.replicas }}
  selector: { matchLabels: { app: {{ .Release.Name }}-redis } }
  template:
    metadata: { labels: { app: {{ .Release.Name }}-redis } }
    spec:
      containers: [{ name: redis, image: {{ .Values.image | quote }}, ports: [{ containerPort: 6379 }] }]
`,
    'apps/redis/templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-redis\nspec:\n  clusterIP: None\n  selector: { app: {{ .Release.Name }}-redis }\n  ports: [{ port: 6379 }]\n',
  };
}

/** Creates the example repository at `dir` unless it exists; returns whether it was created. */
export async function ensureExampleRepo(dir: string, stateDir: string, context: string): Promise<boolean> {
  const repo = resolve(dir);
  const exists = await access(join(repo, '.git')).then(() => true, () => false);
  if (!exists) {
    await mkdir(repo, { recursive: true });
    const git = (...args: string[]) => run('git', args, { cwd: repo, env: GIT_ENV });
    await git('init', '--quiet', '--initial-branch=main');
    for (const [file, text] of Object.entries(files(repo, context))) {
      await mkdir(dirname(join(repo, file)), { recursive: true });
      await writeFile(join(repo, file), text);
    }
    await git('add', '--all');
    await git('commit', '--quiet', '-m', 'Driftless example: registry and three apps');
  }
  await installHook(repo, stateDir);
  return !exists;
}

async function installHook(repo: string, stateDir: string): Promise<void> {
  const script = fileURLToPath(new URL('./git-hook.ts', import.meta.url));
  const hook = join(repo, '.git', 'hooks', 'post-commit');
  // The Node.js that runs local mode (24) runs the hook, whatever `node` is on PATH.
  await writeFile(hook, `#!/bin/sh\nexec "${process.execPath}" "${script}" "${resolve(stateDir)}"\n`);
  await chmod(hook, 0o755);
}
