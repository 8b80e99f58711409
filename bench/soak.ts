// npm run bench:soak — local mode's pipeline under faults, with counts that must hold:
//   - the sandbox cluster fails 20% of requests (500, 503, 429 with Retry-After, dropped
//     connections, in equal shares);
//   - DynamoDB (dynalite behind local/dynamo-fault-proxy.ts) answers 5–40 ms late and throttles
//     10% of single-item writes with its own ProvisionedThroughputExceededException, which the
//     real SDK retries;
//   - the sync workers run as local/worker-process.ts children fed from SQS (fauxqs), and one is
//     SIGKILLed mid-sync several times: its message comes back after the visibility timeout;
//   - 200 pushes across 20 apps, interleaved: real commits in a local repository and signed
//     push deliveries to the real webhook handler, as local mode's post-commit hook sends them.
// Then it counts, from the GitHub-status sink (the workers' console statuses), the dead-letter
// queue, the state table and the sandbox's request log (bench/support/soak-check.ts): pushes
// applied, superseded, failed, dead-lettered (each with a failure status), lost (0), applies out
// of order (0), targets left behind (0), duplicate creates (0). Prints a table; exits 1 when a
// must-be-zero count is not zero. Timings are printed, never asserted.
//   npm run bench:soak -- --pushes 40 --apps 5      (a quick run)
// Other flags: --workers, --kills, --fault-rate, --throttle-rate, --interval-ms (between pushes),
// --invocation-seconds and --visibility-seconds (the workers' Lambda timeout and the queue's),
// --timeout (for draining the queue), --keep (keeps the folder: repository, worker log,
// statuses.jsonl, pushes.jsonl), --verbose.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDynamoFaultProxy } from '../local/dynamo-fault-proxy.ts';
import { localPush } from '../local/push-event.ts';
import { startSandbox } from '../local/sandbox/index.ts';
import { startLocalServices } from '../local/services.ts';
import { startWebhookServer } from '../local/webhook-server.ts';
import { parseDuration } from '../shared/config/duration.ts';
import { connectKubeconfig } from '../shared/kube/connect.ts';
import { DynamoStateStore } from '../shared/state/dynamo-store.ts';
import type { HistoryEntry, TargetState } from '../shared/state/types.ts';
import { checkSoak, type SoakPush } from './support/soak-check.ts';
import { appName, CLUSTER, createSoakRepo, deliverPush, STATE_CONFIGMAP } from './support/soak-repo.ts';
import { printSoakReport } from './support/soak-report.ts';
import { WorkerPool } from './support/soak-workers.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    pushes: { type: 'string', default: '200' },
    apps: { type: 'string', default: '20' },
    workers: { type: 'string', default: '3' },
    kills: { type: 'string', default: '5' },
    'fault-rate': { type: 'string', default: '0.2' },
    'throttle-rate': { type: 'string', default: '0.1' },
    'interval-ms': { type: 'string', default: '250' },
    'invocation-seconds': { type: 'string', default: '30' },
    'visibility-seconds': { type: 'string', default: '90' },
    timeout: { type: 'string', default: '10m' },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const PUSHES = Number(values.pushes);
const APPS = Number(values.apps);
const WORKERS = Number(values.workers);
const KILLS = Number(values.kills);
const FAULT_RATE = Number(values['fault-rate']);
const THROTTLE_RATE = Number(values['throttle-rate']);
const INTERVAL_MS = Number(values['interval-ms']);
const TIMEOUT_MS = parseDuration(values.timeout);
const DYNAMO_LATENCY = { min: 5, max: 40 };
const MAX_RECEIVE_COUNT = 5;
const WEBHOOK_ATTEMPTS = 3;
const SETUP_TIMEOUT_MS = 180_000;
for (const [name, value] of Object.entries({ PUSHES, APPS, WORKERS, KILLS, INTERVAL_MS })) {
  if (!Number.isInteger(value) || value < 0 || (value === 0 && name !== 'KILLS' && name !== 'INTERVAL_MS'))
    throw new Error(`bench:soak: --${name.toLowerCase().replace('_', '-')} must be a whole number above 0, got ${value}`);
}

const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dir = await mkdtemp(join(tmpdir(), 'driftless-soak-'));
const workerTmp = join(dir, 'tmp');
await mkdir(workerTmp);
const sandbox = await startSandbox({ controllers: { readyDelayMs: 100 } });
const kubeconfig = join(dir, 'sandbox.kubeconfig');
await sandbox.writeKubeconfig(kubeconfig, 'sandbox');
const services = await startLocalServices({ maxReceiveCount: MAX_RECEIVE_COUNT, visibilityTimeoutSeconds: Number(values['visibility-seconds']) });
const dynamoDirect = services.env.AWS_ENDPOINT_URL_DYNAMODB;
const proxy = await startDynamoFaultProxy({ target: dynamoDirect });
const repo = await createSoakRepo(join(dir, 'repo'));
const initialSha = await repo.initialise(APPS, 'sandbox');
const webhookSecret = 'soak-webhook-secret';

Object.assign(process.env, services.env, {
  AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
  WEBHOOK_SECRET: JSON.stringify({ webhookSecret }),
  GITHUB_SECRET: '{}',
  CONFIG_REPO_URL: repo.dir,
  CONFIG_REPO_BRANCH: 'main',
  CONFIG_DIR: 'driftless',
  LOCAL_REPOSITORIES: 'allow',
  EVENTS_FILE: join(dir, 'events.jsonl'),
  KUBECONFIG: kubeconfig,
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_METRICS_DISABLED: 'true',
});
const { handler: webhook } = await import('../functions/webhook/handler.ts');
const server = await startWebhookServer(webhook, 0);
// The soak reads the table past the proxy: its own reads must neither slow nor fail.
const store = new DynamoStateStore({ client: new DynamoDBClient({ endpoint: dynamoDirect }), tableName: services.env.STATE_TABLE });

let armedKills = 0;
const workerLog: string[] = [];
const pool = new WorkerPool({
  count: WORKERS,
  env: { ...process.env, TMPDIR: workerTmp },
  args: ['--invocation-seconds', values['invocation-seconds'], '--batch-size', '5', '--wait-seconds', '1'],
  onStatus(status, worker) {
    if (values.verbose) log(`status ${status.state} ${status.app} ${status.shaPrefix.slice(0, 7)} (worker ${worker.pid}): ${status.description}`);
    if (armedKills === 0 || status.state !== 'pending' || !status.description.startsWith('Syncing ')) return;
    armedKills -= 1;
    // Somewhere in fetch, render, apply or the health wait.
    const afterMs = Math.round(100 + Math.random() * 900);
    setTimeout(() => {
      if (pool.kill(worker, status.app, afterMs))
        log(`killed worker ${worker.pid} ${afterMs} ms into the sync of ${status.app} ${status.shaPrefix.slice(0, 7)}`);
      else armedKills += 1; // it finished first: kill the next one
    }, afterMs);
  },
  onLog(line, pid) {
    workerLog.push(`${pid}: ${line}`);
    if (values.verbose || /timed out/.test(line)) log(`worker ${pid}: ${line}`);
  },
});

async function queueDepth(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await services.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

async function allAt(sha: string): Promise<boolean> {
  for (let app = 0; app < APPS; app++) {
    const target = await store.getTarget(appName(app), CLUSTER);
    if (target?.revision !== sha || target.syncStatus !== 'Synced') return false;
  }
  return true;
}

// ---- Setup, without faults: the registry and every app at the first commit.
const initial = await localPush(repo.dir, { initial: true });
const first = await deliverPush(server.url, webhookSecret, initial.payload);
if (first.status !== 202) throw new Error(`bench:soak: the initial push was answered ${first.status}: ${first.body}`);
const setupDeadline = Date.now() + SETUP_TIMEOUT_MS;
while (!(await allAt(initialSha))) {
  if (Date.now() > setupDeadline)
    throw new Error(
      `bench:soak: the ${APPS} apps did not all sync the first commit within ${SETUP_TIMEOUT_MS / 1000} s (no faults yet); worker log:\n${workerLog.slice(-20).join('\n')}`,
    );
  await sleep(500);
}
log(`setup: registry and ${APPS} apps synced at ${initialSha.slice(0, 7)}`);

// ---- The soak: faults on, pushes interleaved across the apps, kills spread over them.
const firstSoakRequest = sandbox.requests.entries().length;
const share = 1 - (1 - FAULT_RATE) ** (1 / 4); // four independent rules: one request in FAULT_RATE hit
for (const rule of [{ status: 500 as const }, { status: 503 as const }, { status: 429 as const, retryAfterSeconds: 1 }, { drop: true }])
  sandbox.faults.inject({ ...rule, rate: share });
proxy.configure({ latencyMs: DYNAMO_LATENCY, throttleRate: THROTTLE_RATE });

const order = interleave(PUSHES, APPS);
const killAt = new Set(Array.from({ length: KILLS }, (_, k) => Math.floor(((k + 1) * PUSHES) / (KILLS + 1))));
const pushes: SoakPush[] = [];
let redelivered = 0;
for (const [index, app] of order.entries()) {
  if (killAt.has(index)) armedKills += 1;
  const push = await repo.commitPush(app, index);
  const deliveryId = crypto.randomUUID();
  let answer = { status: 0, body: '' };
  let deliveries = 0;
  while (deliveries < WEBHOOK_ATTEMPTS) {
    deliveries += 1;
    answer = await deliverPush(server.url, webhookSecret, push.payload, deliveryId);
    if (answer.status >= 200 && answer.status < 300) break;
    // What a person does with a failed delivery on GitHub: Redeliver, same X-GitHub-Delivery.
    redelivered += 1;
    await sleep(1000);
  }
  pushes.push({ push: index, app: appName(app), sha: push.after, webhookStatus: answer.status, deliveries });
  if (answer.status !== 202) log(`push ${index} (${appName(app)}) answered ${answer.status} after ${deliveries} deliveries: ${answer.body}`);
  if ((index + 1) % 50 === 0) log(`${index + 1} pushes`);
  await sleep(INTERVAL_MS);
}
log(`all ${PUSHES} pushes delivered; draining the queue`);

const deadline = Date.now() + TIMEOUT_MS;
let quiet = 0;
while (quiet < 2 && Date.now() < deadline) {
  const depth = await queueDepth(services.queueUrl);
  quiet = depth === 0 && armedKills === 0 ? quiet + 1 : 0;
  // Kills not yet done once the pushes are over are dropped: nothing may be left to kill.
  if (depth === 0) armedKills = 0;
  await sleep(2000);
}
const drained = quiet >= 2;
const syncedAt = Date.now();
log(drained ? 'queue drained' : `not drained within ${values.timeout}: ${await queueDepth(services.queueUrl)} message(s) left`);

// ---- Evidence.
sandbox.faults.clear();
proxy.configure({ latencyMs: 0, throttleRate: 0 });
await pool.stop();
const deadLetters = await drainDeadLetters();
const history = new Map<string, HistoryEntry[]>();
const targets = new Map<string, TargetState | undefined>();
const live = new Map<string, number | undefined>();
const client = await connectKubeconfig({ kubeconfigYaml: sandbox.kubeconfig() });
for (let app = 0; app < APPS; app++) {
  const name = appName(app);
  history.set(name, await store.listHistory(name, CLUSTER, 50));
  targets.set(name, await store.getTarget(name, CLUSTER));
  const map = await client.get<{ data?: { push?: string } }>(`/api/v1/namespaces/${name}/configmaps/${STATE_CONFIGMAP}`).catch(() => undefined);
  live.set(name, map?.data?.push === undefined ? undefined : Number(map.data.push));
}
client.close();
const requests = sandbox.requests.entries();
const figures = checkSoak({
  apps: Array.from({ length: APPS }, (_, app) => appName(app)),
  initialSha,
  pushes,
  statuses: pool.statuses,
  deadLetters,
  history,
  targets,
  requests,
  live,
});
if (!drained) figures.problems.push(`the queue was not drained within ${values.timeout}: pushes still queued count as lost`);

printSoakReport({
  pushes: PUSHES,
  apps: APPS,
  workers: WORKERS,
  seconds: { total: Math.round((syncedAt - started) / 1000) },
  figures,
  sandbox: requests.slice(firstSoakRequest),
  faultRate: FAULT_RATE,
  dynamo: proxy.stats,
  throttleRate: THROTTLE_RATE,
  dynamoLatency: DYNAMO_LATENCY,
  kills: pool.kills,
  exits: pool.exits,
  webhook: { answered: pushes.filter((push) => push.webhookStatus === 202).length, redelivered },
  drained,
});

await writeFile(join(dir, 'worker.log'), workerLog.join('\n'));
await writeFile(join(dir, 'statuses.jsonl'), pool.statuses.map((status) => JSON.stringify(status)).join('\n'));
await writeFile(join(dir, 'pushes.jsonl'), pushes.map((push) => JSON.stringify(push)).join('\n'));
await server.close();
await proxy.stop();
await services.stop();
await sandbox.stop();
if (values.keep) console.log(`kept: ${dir}`);
else await rm(dir, { recursive: true, force: true });
const failed =
  !drained || figures.buckets.lost > 0 || figures.outOfOrder.cluster + figures.outOfOrder.history > 0 || figures.leftBehind > 0 || figures.duplicateCreates > 0;
process.exit(failed ? 1 : 0);

/** `pushes` app numbers, each app about equally often, in a shuffled order. */
function interleave(count: number, apps: number): number[] {
  const order = Array.from({ length: count }, (_, index) => index % apps);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Every job in the dead-letter queue (received and left in flight: the soak is over). */
async function drainDeadLetters(): Promise<Array<{ app: string; revision: string }>> {
  const letters: Array<{ app: string; revision: string }> = [];
  for (;;) {
    const { Messages = [] } = await services.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: services.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 600 }),
    );
    if (Messages.length === 0) return letters;
    for (const message of Messages) {
      const job = JSON.parse(message.Body ?? '{}') as { app?: string; revision?: string };
      letters.push({ app: job.app ?? '', revision: job.revision ?? '' });
    }
  }
}
