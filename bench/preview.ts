// npm run bench:preview — one change touching 50 apps (each: a value changed, an object added,
// one removed), previewed against a sandbox cluster holding the base (synced with the real
// engine first), a few runs with cold sources and renders as each new PR head has them.
// Prints p50/p95 of the preview time, the requests it sent the API server (and that none of
// them wrote), and the same manifests through `kubectl diff --server-side` for comparison.
// Goal: p95 ≤ 45 s. Asserts nothing.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pLimit from 'p-limit';
import { startSandbox } from '../local/sandbox/index.ts';
import { loadRegistry } from '../shared/config/load.ts';
import { connectKubeconfig } from '../shared/kube/connect.ts';
import { Discovery } from '../shared/kube/discovery.ts';
import { preview } from '../shared/preview/preview.ts';
import { render } from '../shared/render/render.ts';
import { MemoryRenderCache } from '../shared/restore/memory-render-cache.ts';
import { clusterConnector } from '../shared/runtime/environment.ts';
import { LocalGitFetcher } from '../shared/source/local-git.ts';
import type { TargetState } from '../shared/state/types.ts';
import type { Inventory } from '../shared/sync/inventory.ts';
import { sync } from '../shared/sync/sync.ts';
import { kubectlPath } from '../shared/tools/binaries.ts';
import { ratio, run, timed } from './support.ts';

const APPS = Number(process.env.BENCH_APPS ?? 50);
const OBJECTS = Number(process.env.BENCH_APP_OBJECTS ?? 20);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 5);
const GOAL_MS = 45_000;

const exec = promisify(execFile);
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@driftless.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@driftless.invalid',
};

const repo = await mkdtemp(join(tmpdir(), 'driftless-bench-preview-'));
const git = async (...args: string[]) => (await exec('git', args, { cwd: repo, env: GIT_ENV, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
async function commit(files: Record<string, string | null>): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) await rm(join(repo, path), { force: true });
    else {
      await mkdir(dirname(join(repo, path)), { recursive: true });
      await writeFile(join(repo, path), content);
    }
  }
  await git('add', '--all');
  await git('commit', '--quiet', '-m', 'bench');
  return git('rev-parse', 'HEAD');
}

const sandbox = await startSandbox({ latencyMs: LATENCY_MS, controllers: { readyDelayMs: 20 } });
const kubeconfig = join(tmpdir(), `bench-preview-${process.pid}.kubeconfig`);
await writeFile(kubeconfig, sandbox.kubeconfig());

const name = (i: number) => `app-${String(i).padStart(2, '0')}`;
const configMap = (app: string, i: number, color: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: config-${i}, namespace: ${app}, labels: { app: ${app} } }\ndata: { index: "${i}", color: ${color} }\n`;

/** An app's files: mostly ConfigMaps, a Secret, a ServiceAccount, a Service and a Deployment, one file each. */
function appFiles(i: number): Record<string, string> {
  const app = name(i);
  const files: Record<string, string> = {
    [`apps/${app}/secret.yaml`]: `apiVersion: v1\nkind: Secret\nmetadata: { name: token, namespace: ${app} }\nstringData: { token: "t-${i}" }\n`,
    [`apps/${app}/sa.yaml`]: `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: ${app}, namespace: ${app} }\n`,
    [`apps/${app}/service.yaml`]: `apiVersion: v1\nkind: Service\nmetadata: { name: ${app}, namespace: ${app} }\nspec: { selector: { app: ${app} }, ports: [{ name: http, port: 80, targetPort: 8080 }] }\n`,
    [`apps/${app}/deploy.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${app}, namespace: ${app} }\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: ${app} } }\n  template:\n    metadata: { labels: { app: ${app} } }\n    spec: { containers: [{ name: app, image: "nginx:1.27", resources: { requests: { cpu: 100m, memory: 64Mi } } }] }\n`,
  };
  for (let c = 0; c < OBJECTS - 4; c += 1) files[`apps/${app}/config-${c}.yaml`] = configMap(app, c, 'blue');
  return files;
}

const registryFiles: Record<string, string> = {
  'driftless/cluster.yaml': `apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: sandbox }\nspec:\n  kubeconfig: { path: ${kubeconfig}, context: sandbox }\n`,
  'driftless/apps.yaml': Array.from(
    { length: APPS },
    (_, i) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: { name: ${name(i)} }\nspec:\n  source: { repoURL: ${repo}, targetRevision: main, path: apps/${name(i)} }\n  destination: { name: sandbox, namespace: ${name(i)} }\n  syncPolicy:\n    automated: { prune: true }\n    syncOptions: [CreateNamespace=true]\n`,
  ).join('---\n'),
};

await git('init', '--quiet', '--initial-branch=main');
const base = await commit({ ...registryFiles, ...Object.assign({}, ...Array.from({ length: APPS }, (_, i) => appFiles(i))) });
const registry = await loadRegistry(repo);

// The base on the cluster, through the real engine, each app's inventory kept as the state table would.
const client = await connectKubeconfig({ kubeconfig, context: 'sandbox' });
const inventories = new Map<string, Inventory>();
const limit = pLimit(8);
const setup = await timed(() =>
  Promise.all(
    registry.apps.map((app) =>
      limit(async () => {
        const rendered = await render({ root: repo, path: app.source.path, appName: app.name, destinationNamespace: app.name });
        await sync({
          app: app.name,
          objects: rendered.objects,
          client,
          discovery: new Discovery(client),
          options: { createNamespace: app.name, timeoutMs: 120_000 },
        }).then((result) => {
          if (result.status !== 'Succeeded') throw new Error(`base sync of ${app.name} failed: ${result.message}`);
          if (result.inventory) inventories.set(app.name, result.inventory);
        });
      }),
    ),
  ),
);

// The change: in every app, one value changed, one object added, one removed.
const change: Record<string, string | null> = {};
for (let i = 0; i < APPS; i += 1) {
  const app = name(i);
  change[`apps/${app}/config-0.yaml`] = configMap(app, 0, 'green');
  change[`apps/${app}/config-1.yaml`] = null;
  change[`apps/${app}/added.yaml`] = configMap(app, 9999, 'new');
}
const head = await commit(change);
const changedFiles = (await git('diff', '--name-only', '--no-renames', base, head)).split('\n').filter(Boolean);

const store = {
  async getTarget(app: string, cluster: string): Promise<TargetState | undefined> {
    const inventory = inventories.get(app);
    return inventory ? ({ app, cluster, inventory } as TargetState) : undefined;
  },
};

const times: number[] = [];
const requests: number[] = [];
let writes = 0;
let summary = '';
for (let r = 0; r < RUNS; r += 1) {
  sandbox.requests.clear();
  // Cold, as a new PR head is: a fresh checkout cache, render cache and cluster connections.
  const connect = clusterConnector({});
  const result = await timed(() =>
    preview({ repoURL: repo, base, head, changedFiles }, { registry, sources: new LocalGitFetcher(), renders: new MemoryRenderCache(), connect, store }),
  );
  times.push(result.ms);
  const entries = sandbox.requests.entries();
  requests.push(entries.length);
  writes += entries.filter((entry) => entry.method !== 'GET' && entry.query.dryRun !== 'All').length;
  const targets = result.value.targets;
  const count = (pick: (t: (typeof targets)[number]) => number) => targets.reduce((sum, target) => sum + pick(target), 0);
  summary = `${targets.length} targets, ${count((t) => t.create.length)} to create, ${count((t) => t.change.length)} to change, ${count((t) => t.prune.length)} to prune, ${targets.filter((t) => t.error).length} errors`;
  const errors = targets.filter((target) => target.error);
  if (errors.length > 0) console.error(`run ${r + 1}: ${errors[0].app}: ${errors[0].error?.message}`);
}

// kubectl diff --server-side over the same head manifests, as one command.
const kubectl = await kubectlPath();
const home = await mkdtemp(join(tmpdir(), 'bench-preview-kubectl-'));
const headTree = await mkdtemp(join(tmpdir(), 'bench-preview-head-'));
await exec('sh', ['-c', `git -C "${repo}" archive ${head} apps | tar -x -C "${headTree}"`], { env: GIT_ENV });
const kubectlTimes: number[] = [];
let kubectlRequests = 0;
for (let r = 0; r < RUNS; r += 1) {
  sandbox.requests.clear();
  const reference = await timed(() =>
    run(
      kubectl,
      ['diff', '--server-side', '--force-conflicts', '--kubeconfig', kubeconfig, '--cache-dir', join(home, 'cache'), '-R', '-f', join(headTree, 'apps')],
      {
        PATH: process.env.PATH,
        HOME: home,
      },
    ),
  );
  // kubectl diff: 0 no differences, 1 differences, more an error.
  if (reference.value.code > 1) throw new Error(`kubectl diff failed:\n${reference.value.stderr.slice(0, 2000)}`);
  kubectlTimes.push(reference.ms);
  kubectlRequests = sandbox.requests.entries().length;
}

client.close();
await sandbox.stop();
await Promise.all([
  rm(repo, { recursive: true, force: true }),
  rm(home, { recursive: true, force: true }),
  rm(headTree, { recursive: true, force: true }),
  rm(kubeconfig, { force: true }),
]);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const p95 = percentile(times, 95);
console.log(`bench:preview — ${APPS} apps × ${OBJECTS} objects, one change touching all of them; sandbox latency ${LATENCY_MS} ms per request; ${RUNS} runs`);
console.log(`base synced with the engine in ${setup.ms} ms; preview found ${summary}`);
console.log(`driftless preview          p50 ${percentile(times, 50)} ms   p95 ${p95} ms   requests/run ${percentile(requests, 50)}   writes ${writes}`);
console.log(`kubectl diff --server-side p50 ${percentile(kubectlTimes, 50)} ms   p95 ${percentile(kubectlTimes, 95)} ms   requests/run ${kubectlRequests}`);
console.log(
  `preview vs kubectl diff (p50): ${ratio(percentile(kubectlTimes, 50), percentile(times, 50))} faster; goal p95 ≤ ${GOAL_MS / 1000} s: ${p95 <= GOAL_MS ? 'met' : 'NOT met'}`,
);
