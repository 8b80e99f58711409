// The example served when `npm start` is given no configuration: one local git repository
// with the registry under driftless/ and four apps (plain YAML, Kustomize, Helm in Git, and a
// chart from a Helm repository), synced automatically with prune and selfHeal, and a
// post-commit hook that posts a signed push webhook to local mode for every commit. The chart
// repository is local mode's own: a small chart packaged with the real `helm package` at
// start and served on loopback, so nothing reaches the internet.
// With `--clusters dev,staging,prod` the registry holds one Cluster per name (labelled
// `env: <name>`) and guestbook is an Argo CD ApplicationSet instead: a clusters generator (an
// app per registered cluster) rolled out with RollingSync, one step per cluster in the order
// given; the other apps go to the first cluster.
import { execFile } from 'node:child_process';
import { access, chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { readRegistryFiles } from '../shared/config/load.ts';
import { helmPath } from '../shared/tools/binaries.ts';

const run = promisify(execFile);
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Driftless example',
  GIT_AUTHOR_EMAIL: 'example@driftless.invalid',
  GIT_COMMITTER_NAME: 'Driftless example',
  GIT_COMMITTER_EMAIL: 'example@driftless.invalid',
};

/** An automated (prune, selfHeal) Application for `cluster`; `source` is its source's fields, indented. */
function applicationManifest(name: string, source: string, namespace: string, cluster: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
  project: default
  source:
${source}  destination:
    name: ${cluster}
    namespace: ${namespace}
  syncPolicy:
    automated: { prune: true, selfHeal: true }
    syncOptions: [CreateNamespace=true]
`;
}

function application(name: string, repo: string, path: string, namespace: string, cluster: string, extra = ''): string {
  return applicationManifest(name, `    repoURL: ${repo}\n    targetRevision: main\n    path: ${path}\n${extra}`, namespace, cluster);
}

/** An app whose source is a chart in a Helm repository: `chart` + `repoURL` + a version constraint. */
function chartApplication(name: string, chartRepoURL: string, chart: string, targetRevision: string, namespace: string, cluster: string): string {
  const source = `    repoURL: ${chartRepoURL}
    chart: ${chart}
    targetRevision: ${JSON.stringify(targetRevision)}
    helm:
      parameters:
        - { name: greeting, value: hello from a chart repository }
`;
  return applicationManifest(name, source, namespace, cluster);
}

/** Our Cluster for a kubeconfig context, with its labels (what a clusters generator selects on). */
function clusterManifest(name: string, context: string, labels: Record<string, string> = {}): string {
  const entries = Object.entries(labels);
  const labelLines = entries.length > 0 ? `  labels:\n${entries.map(([key, value]) => `    ${key}: ${value}\n`).join('')}` : '';
  return `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: ${name}\n${labelLines}spec:\n  kubeconfig:\n    context: ${context}\n`;
}

/**
 * guestbook on every registered cluster, as an Argo CD user writes it: the clusters generator
 * (fasttemplate: `{{name}}`, `{{metadata.labels.env}}`), each app labelled with its cluster's
 * env, and RollingSync steps selecting on that label, one per cluster in the order given.
 */
function guestbookApplicationSet(repo: string, clusters: string[]): string {
  const steps = clusters
    .map((name) => `        - matchExpressions:\n            - key: env\n              operator: In\n              values:\n                - ${name}\n`)
    .join('');
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
spec:
  generators:
    - clusters: {}
  strategy:
    type: RollingSync
    rollingSync:
      steps:
${steps}  template:
    metadata:
      name: 'guestbook-{{name}}'
      labels:
        env: '{{metadata.labels.env}}'
    spec:
      project: default
      source:
        repoURL: ${repo}
        targetRevision: main
        path: apps/guestbook
      destination:
        name: '{{name}}'
        namespace: guestbook
      syncPolicy:
        automated:
          prune: true
          selfHeal: true
        syncOptions:
          - CreateNamespace=true
`;
}

/** The registry's clusters and guestbook: one cluster `local` (context `context`), or one per `--clusters` name and the ApplicationSet. */
function fleet(repo: string, context: string, clusters: string[] | undefined): Record<string, string> {
  if (!clusters)
    return {
      'driftless/cluster.yaml': clusterManifest('local', context),
      'driftless/guestbook.yaml': application('guestbook', repo, 'apps/guestbook', 'guestbook', 'local'),
    };
  return {
    'driftless/clusters.yaml': clusters.map((name) => clusterManifest(name, name, { env: name })).join('---\n'),
    'driftless/guestbook.yaml': guestbookApplicationSet(repo, clusters),
  };
}

const README = '# Driftless example\n\nCommit here and watch the change reach the cluster: `git commit -am "..."`.\n';
const FLEET_README = (clusters: string[]) =>
  `# Driftless example\n\nCommit here and watch the change reach the clusters: \`git commit -am "..."\`.\n\n` +
  `\`driftless/guestbook.yaml\` is an ApplicationSet: a change under \`apps/guestbook\` rolls out to ${clusters.join(', then ')}, ` +
  'each step once the one before is Synced and Healthy at the commit.\n';

function files(repo: string, context: string, chartRepoURL: string | undefined, clusters: string[] | undefined): Record<string, string> {
  // The apps that are not the ApplicationSet's go to the first cluster.
  const target = clusters?.[0] ?? 'local';
  return {
    ...(chartRepoURL ? { 'driftless/hello.yaml': chartApplication('hello', chartRepoURL, EXAMPLE_CHART, '0.1.*', 'hello', target) } : {}),
    'README.md': clusters ? FLEET_README(clusters) : README,
    ...fleet(repo, context, clusters),
    'driftless/podinfo.yaml': application('podinfo', repo, 'apps/podinfo/overlays/dev', 'podinfo', target),
    'driftless/redis.yaml': application(
      'redis',
      repo,
      'apps/redis',
      'redis',
      target,
      '    helm:\n      releaseName: cache\n      parameters:\n        - { name: replicas, value: "1" }\n',
    ),
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
    'apps/guestbook/service.yaml':
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: guestbook-ui\nspec:\n  selector: { app: guestbook-ui }\n  ports: [{ port: 80, targetPort: 80 }]\n',
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
    'apps/podinfo/overlays/dev/kustomization.yaml':
      'resources: [../../base]\nnamePrefix: dev-\ncommonLabels: { env: dev }\nconfigMapGenerator:\n  - name: podinfo-settings\n    literals: [color=blue]\n',
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
    'apps/redis/templates/service.yaml':
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-redis\nspec:\n  clusterIP: None\n  selector: { app: {{ .Release.Name }}-redis }\n  ports: [{ port: 6379 }]\n',
  };
}

export interface ExampleOptions {
  /** `--clusters`: one Cluster per name and guestbook as an ApplicationSet over them. */
  clusters?: string[];
}

/**
 * Creates the example repository at `dir` unless it exists; returns whether it was created.
 * With `chartRepoURL` (local mode's chart repository), it holds the chart app too. An existing
 * one is kept as it is, whatever the options (local mode checks that its clusters' contexts
 * are the ones it started: exampleContexts).
 */
export async function ensureExampleRepo(dir: string, stateDir: string, context: string, chartRepoURL?: string, options: ExampleOptions = {}): Promise<boolean> {
  const repo = resolve(dir);
  const exists = await access(join(repo, '.git')).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await mkdir(repo, { recursive: true });
    const git = (...args: string[]) => run('git', args, { cwd: repo, env: GIT_ENV });
    await git('init', '--quiet', '--initial-branch=main');
    for (const [file, text] of Object.entries(files(repo, context, chartRepoURL, options.clusters))) {
      await mkdir(dirname(join(repo, file)), { recursive: true });
      await writeFile(join(repo, file), text);
    }
    await git('add', '--all');
    const apps = `${chartRepoURL ? 'four' : 'three'} apps`;
    const message = options.clusters
      ? `Driftless example: registry, ${options.clusters.length} clusters, ${apps} (guestbook an ApplicationSet rolled out ${options.clusters.join(' → ')})`
      : `Driftless example: registry and ${apps}`;
    await git('commit', '--quiet', '-m', message);
  }
  await installHook(repo, stateDir);
  return !exists;
}

/**
 * The kubeconfig contexts the Clusters under driftless/ of the example at `dir` connect with
 * (in file and document order, once each), or undefined when there is no example there yet. A file that does not
 * parse is skipped: the registry refresh reports it, with its line.
 */
export async function exampleContexts(dir: string): Promise<string[] | undefined> {
  const repo = resolve(dir);
  const exists = await access(join(repo, '.git')).then(
    () => true,
    () => false,
  );
  if (!exists) return undefined;
  const contexts = new Set<string>();
  const registryFiles = await readRegistryFiles(repo).catch(() => []);
  for (const { text } of registryFiles) {
    for (const document of parseAllDocuments(text)) {
      if (!('errors' in document) || document.errors.length > 0) continue;
      const value = document.toJS() as { kind?: unknown; spec?: { kubeconfig?: { context?: unknown } } } | null;
      const context = value?.kind === 'Cluster' ? value.spec?.kubeconfig?.context : undefined;
      if (typeof context === 'string') contexts.add(context);
    }
  }
  return [...contexts];
}

async function installHook(repo: string, stateDir: string): Promise<void> {
  const script = fileURLToPath(new URL('./git-hook.ts', import.meta.url));
  const hook = join(repo, '.git', 'hooks', 'post-commit');
  // The Node.js that runs local mode (24) runs the hook, whatever `node` is on PATH.
  await writeFile(hook, `#!/bin/sh\nexec "${process.execPath}" "${script}" "${resolve(stateDir)}"\n`);
  await chmod(hook, 0o755);
}

export const EXAMPLE_CHART = 'hello';
/** Two versions, so the example's `0.1.*` shows a constraint resolving to the highest. */
export const EXAMPLE_CHART_VERSIONS = ['0.1.0', '0.1.1'];

export interface ExampleChartRepo {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Packages the example chart (every version) with helm into `dir`, writes index.yaml with
 * `helm repo index --url`, and serves the folder on 127.0.0.1:`port` (0: any free port).
 */
export async function startExampleChartRepo(options: { dir: string; port: number }): Promise<ExampleChartRepo> {
  const served = join(options.dir, 'served');
  await rm(options.dir, { recursive: true, force: true });
  await mkdir(served, { recursive: true });
  const helm = await helmPath();
  const env = {
    PATH: process.env.PATH,
    HOME: options.dir,
    HELM_CACHE_HOME: join(options.dir, 'helm', 'cache'),
    HELM_CONFIG_HOME: join(options.dir, 'helm', 'config'),
    HELM_DATA_HOME: join(options.dir, 'helm', 'data'),
  };
  // The versions are independent folders and archives: packaged side by side, not one after another, at every start.
  await Promise.all(
    EXAMPLE_CHART_VERSIONS.map(async (version) => {
      const chartDir = join(options.dir, 'src', version, EXAMPLE_CHART);
      for (const [file, text] of Object.entries(exampleChart(version))) {
        await mkdir(dirname(join(chartDir, file)), { recursive: true });
        await writeFile(join(chartDir, file), text);
      }
      await run(helm, ['package', chartDir, '--destination', served], { env });
    }),
  );
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://localhost').pathname.slice(1);
    if (req.method !== 'GET' || !/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) {
      res.writeHead(404).end('not found');
      return;
    }
    readFile(join(served, name)).then(
      (body) => res.writeHead(200, { 'content-type': name.endsWith('.yaml') ? 'text/yaml' : 'application/gzip' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      failed(
        error.code === 'EADDRINUSE'
          ? new Error(`the example chart repository cannot listen on 127.0.0.1:${options.port}, which is in use; pass --chart-repo-port`)
          : error,
      ),
    );
    server.listen(options.port, '127.0.0.1', listening);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await run(helm, ['repo', 'index', served, '--url', url], { env });
  return {
    url,
    close: () =>
      new Promise((closed, failed) => {
        server.closeAllConnections();
        server.close((error) => (error ? failed(error) : closed()));
      }),
  };
}

function exampleChart(version: string): Record<string, string> {
  return {
    'Chart.yaml': `apiVersion: v2\nname: ${EXAMPLE_CHART}\ndescription: The example chart local mode serves from its own Helm repository\nversion: ${version}\n`,
    'values.yaml': 'greeting: hello\nreplicas: 1\n',
    'templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-greeting
data:
  greeting: {{ .Values.greeting | quote }}
  chartVersion: {{ .Chart.Version | quote }}
`,
    'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-hello
spec:
  replicas: {{ .Values.replicas }}
  selector: { matchLabels: { app: {{ .Release.Name }}-hello } }
  template:
    metadata: { labels: { app: {{ .Release.Name }}-hello } }
    spec:
      containers: [{ name: hello, image: "nginxinc/nginx-unprivileged:1.27", ports: [{ containerPort: 8080 }] }]
`,
  };
}
