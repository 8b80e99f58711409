// `npm start`: the whole pipeline on one machine. The webhook handler behind a local HTTP
// endpoint, the worker fed by polling SQS (fauxqs), the drift scan on a timer, DynamoDB
// (dynalite, persisted under the state folder), S3 (fauxqs), events to a JSON-lines file, and
// the sandbox cluster unless a kubeconfig is given, and the dashboard (no sign-in) on the port
// after the example's chart repository. With no configuration it serves the bundled example
// repository, whose commits reach the sandbox within seconds. `--clusters dev,staging,prod`
// starts one sandbox per name instead (local/clusters.ts), and the example rolls guestbook
// out across them.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { apiDependencies } from '../shared/api/environment.ts';
import { parseDuration } from '../shared/config/duration.ts';
import { checkClustersWith, parseClusterNames, startLocalClusters, type LocalClusters } from './clusters.ts';
import { dashboardAssets } from './dashboard-assets.ts';
import { startDashboardServer } from './dashboard-server.ts';
import { ensureExampleRepo, exampleContexts, startExampleChartRepo, type ExampleChartRepo } from './example.ts';
import { lambdaContext } from './lambda-context.ts';
import { postWebhook } from './post-webhook.ts';
import { localPush } from './push-event.ts';
import { startSandbox, type Sandbox } from './sandbox/index.ts';
import { startLocalServices } from './services.ts';
import { startWebhookServer } from './webhook-server.ts';
import { describeLayout, parseWorkerCount, startWorkerPool } from './worker-pool.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    port: { type: 'string', default: '8787' },
    'state-dir': { type: 'string', default: '.driftless/local' },
    'example-dir': { type: 'string', default: '.driftless/example' },
    // The example's Helm repository; by default the port after --port (any free one with --port 0).
    'chart-repo-port': { type: 'string' },
    // The dashboard; by default the port after the chart repository's (--port + 2; any free one with --port 0).
    'dashboard-port': { type: 'string' },
    'config-repo': { type: 'string' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    // One sandbox cluster per name (comma-separated, 1 to 10), instead of the one sandbox.
    clusters: { type: 'string' },
    // The CloudWatch alarms of rollout gates, as a JSON file of name → state; by default alarms.json in the state folder.
    'alarms-file': { type: 'string' },
    'drift-interval': { type: 'string', default: '5m' },
    // Sync jobs at once, as Lambda's concurrency (local/worker-pool.ts lays them out over processes).
    workers: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const driftIntervalMs = parseDuration(values['drift-interval']);
let workerCount: number;
let clusterNames: string[] | undefined;
try {
  workerCount = parseWorkerCount(values.workers);
  clusterNames = parseClusterNames(values.clusters);
  if (clusterNames) checkClustersWith(values);
} catch (error) {
  console.error(`npm start: ${(error as Error).message}`);
  process.exit(2);
}
const stateDir = resolve(values['state-dir']);
const configRepo = values['config-repo'] ? resolve(values['config-repo']) : resolve(values['example-dir']);
// An example repository from an earlier run is kept as it is, never rewritten: if its clusters
// connect through contexts this run does not start, its syncs could only fail, so say so now.
if (!values['config-repo'] && !values.kubeconfig) {
  const contexts = await exampleContexts(configRepo);
  const problem = exampleMismatch(configRepo, contexts, clusterNames ?? ['sandbox']);
  if (problem) {
    console.error(`npm start: ${problem}`);
    process.exit(2);
  }
  const unused = contexts ? (clusterNames ?? []).filter((name) => !contexts.includes(name)) : [];
  if (unused.length > 0)
    console.error(`npm start: the existing example repository ${configRepo} registers no cluster on ${unused.join(', ')}: nothing will sync there`);
}
await mkdir(stateDir, { recursive: true });

let sandbox: Sandbox | undefined;
let localClusters: LocalClusters | undefined;
let kubeconfig = values.kubeconfig ? resolve(values.kubeconfig) : undefined;
let context = values.context;
if (clusterNames) {
  localClusters = await startLocalClusters(clusterNames);
  kubeconfig = join(stateDir, 'sandbox.kubeconfig');
  await localClusters.writeKubeconfig(kubeconfig);
  context = clusterNames[0];
} else if (!kubeconfig) {
  // Nothing in local mode reads the request log's bodies: without them it stays small.
  sandbox = await startSandbox({ requestBodies: false });
  kubeconfig = join(stateDir, 'sandbox.kubeconfig');
  await sandbox.writeKubeconfig(kubeconfig);
  context = 'sandbox';
}

const services = await startLocalServices({ stateDir: join(stateDir, 'dynamodb') });
// There is no CloudWatch here: a RollingSync step's alarm gate reads this file on every check
// (shared/rollout/alarms.ts), so a person flips an alarm by editing it. An alarm it does not
// name does not exist, and the gate halts saying so.
const alarmsFile = resolve(values['alarms-file'] ?? join(stateDir, 'alarms.json'));
await writeFile(alarmsFile, '{}\n', { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
  if (error.code !== 'EEXIST') throw error;
});
const webhookSecret = process.env.GITHUB_WEBHOOK_SECRET || (await persistentSecret(join(stateDir, 'webhook-secret')));
// The example's chart app reads a Helm repository that local mode serves itself, on loopback.
let chartRepo: ExampleChartRepo | undefined;
if (!values['config-repo']) {
  const webhookPort = Number(values.port);
  const chartRepoPort = values['chart-repo-port'] !== undefined ? Number(values['chart-repo-port']) : webhookPort === 0 ? 0 : webhookPort + 1;
  chartRepo = await startExampleChartRepo({ dir: join(stateDir, 'chart-repo'), port: chartRepoPort });
  await ensureExampleRepo(configRepo, stateDir, context ?? 'default', chartRepo.url, { clusters: clusterNames });
}

Object.assign(process.env, services.env, {
  // Two secrets, as in AWS: the webhook reads only its HMAC key, the worker only the credentials.
  WEBHOOK_SECRET: JSON.stringify({ webhookSecret }),
  GITHUB_SECRET: JSON.stringify(process.env.GITHUB_TOKEN ? { token: process.env.GITHUB_TOKEN } : {}),
  CONFIG_REPO_URL: configRepo,
  // Local mode's repositories are folders on this machine; the worker in AWS refuses those.
  LOCAL_REPOSITORIES: 'allow',
  // Chart repositories on loopback (the example's) may be read, over http; charts are kept here.
  CHART_LOOPBACK: 'allow',
  CHART_CACHE_DIR: join(stateDir, 'charts'),
  CONFIG_REPO_BRANCH: 'main',
  CONFIG_DIR: 'driftless',
  EVENTS_FILE: join(stateDir, 'events.jsonl'),
  ROLLOUT_ALARMS_FILE: alarmsFile,
  KUBECONFIG: kubeconfig,
  DRIFT_INTERVAL_SECONDS: String(driftIntervalMs / 1000),
  POWERTOOLS_LOG_LEVEL: values.verbose ? 'INFO' : 'WARN',
  POWERTOOLS_METRICS_DISABLED: 'true',
});
// Imported only now: the handlers read their environment when first called, as in Lambda.
const { handler: webhook } = await import('../functions/webhook/handler.ts');
const { handler: driftScan } = await import('../functions/drift-scan/handler.ts');

const server = await startWebhookServer(webhook, Number(values.port));
const dashboardPort = values['dashboard-port'] !== undefined ? Number(values['dashboard-port']) : Number(values.port) === 0 ? 0 : Number(values.port) + 2;
// Built in the background (Vite, a few seconds the first time); the first page load waits for it.
dashboardAssets().catch((error: unknown) => console.error(`dashboard build: ${(error as Error).message}`));
const dashboard = await startDashboardServer({ port: dashboardPort, deps: apiDependencies(process.env), assets: () => dashboardAssets() });
// The worker's check-run lines link to the target's page here (its handler reads this on first use).
process.env.DASHBOARD_URL = dashboard.url;
await writeFile(
  join(stateDir, 'endpoints.json'),
  JSON.stringify(
    {
      ...services.env,
      EVENTS_FILE: process.env.EVENTS_FILE,
      KUBECONFIG: kubeconfig,
      WEBHOOK_URL: server.url,
      DASHBOARD_URL: dashboard.url,
      WEBHOOK_SECRET: webhookSecret,
      CONFIG_REPO_URL: configRepo,
      CONFIG_REPO_BRANCH: 'main',
      CONFIG_DIR: 'driftless',
    },
    null,
    2,
  ),
  { mode: 0o600 },
);

// The workers run in child processes with this environment; their status lines and events come out here.
const workers = startWorkerPool({
  count: workerCount,
  env: process.env,
  // One job per invocation, as the SyncPipeline construct's default; the jobs at once are
  // receive loops, which each take the next job when theirs is done (worker-pool.ts).
  args: ['--batch-size', '1', '--wait-seconds', '2'],
  onExit: (pid, code, signal) => console.error(`worker ${pid} exited (${signal ?? `code ${code}`}); starting another`),
});
// EventBridge Scheduler's stand-in.
const drift = setInterval(() => {
  driftScan({ source: 'local.scheduler', 'detail-type': 'Scheduled Event' }, lambdaContext('drift-scan')).catch((error: unknown) =>
    console.error(`drift scan: ${(error as Error).message}`),
  );
}, driftIntervalMs);

console.log(`webhook: ${server.url}`);
console.log(`dashboard: ${dashboard.url}`);
console.log(`kubeconfig: ${kubeconfig}`);
for (const { name, sandbox: cluster } of localClusters?.clusters ?? []) console.log(`cluster ${name}: ${cluster.url} (context ${name}, label env=${name})`);
console.log(`example repo: ${configRepo}`);
if (chartRepo) console.log(`example chart repository: ${chartRepo.url}`);
console.log(`webhook secret: ${webhookSecret}`);
console.log(`events: ${process.env.EVENTS_FILE}`);
console.log(`rollout alarms: ${alarmsFile}`);
console.log(`workers: ${workerCount} (${describeLayout(workers.layout)})`);
console.log('ready: commit in the example repo (git -C <example repo> commit -am ...) and watch it reach the cluster. Ctrl-C stops.');

// The sandbox starts empty: announce the repository's head so the registry and apps sync.
const initial = await localPush(configRepo, { initial: true });
const answer = await postWebhook(server.url, webhookSecret, 'push', initial.payload);
console.log(`initial push ${initial.after.slice(0, 7)}: ${answer.status} ${answer.body}`);

await new Promise<void>((done) => {
  process.once('SIGINT', done);
  process.once('SIGTERM', done);
});
clearInterval(drift);
await workers.stop();
await server.close();
await dashboard.close();
await chartRepo?.close();
await services.stop();
await sandbox?.stop();
await localClusters?.stop();
process.exit(0);

/** Why the existing example at `dir` (whose Clusters use `contexts`) cannot run against the contexts this run starts, if it cannot. */
function exampleMismatch(dir: string, contexts: string[] | undefined, started: string[]): string | undefined {
  const missing = contexts?.filter((name) => !started.includes(name)) ?? [];
  if (!contexts || missing.length === 0) return undefined;
  const earlier = contexts.length === 1 && contexts[0] === 'sandbox' ? 'without --clusters' : `with --clusters ${contexts.join(',')}`;
  return (
    `the example repository ${dir} registers clusters on kubeconfig contexts ${missing.join(', ')}, which this run does not start ` +
    `(it starts ${started.join(', ')}). An existing example is kept as it is, never rewritten: start ${earlier} as when it was created, ` +
    'or pass --example-dir with a new folder (or remove that one)'
  );
}

async function persistentSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(24).toString('hex');
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}
