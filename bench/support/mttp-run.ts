// One run of the MTTP benchmark, in a process of its own so that every run starts from a fresh
// local mode (the handlers keep their clients per process, as in Lambda) and its peak RSS is its
// own: the sandbox cluster, dynalite behind a counting proxy, fauxqs, the real webhook handler
// in this process and `--workers` local/worker-process.ts children, as `npm start` runs them.
// It pushes the repository's one commit, polls the state table until every app is Synced and
// Healthy at it, and prints one `MTTP-RESULT {json}` line (bench/mttp.ts reads it).
//   node bench/support/mttp-run.ts --apps 100 --workers 4 [--timeout 10m] [--batch-size 1]
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { localPush } from '../../local/push-event.ts';
import { startSandbox } from '../../local/sandbox/index.ts';
import { startLocalServices } from '../../local/services.ts';
import { startWebhookServer } from '../../local/webhook-server.ts';
import { startWorkerPool } from '../../local/worker-pool.ts';
import { parseDuration } from '../../shared/config/duration.ts';
import { startDynamoCounter } from './dynamo-counter.ts';
import { deliverPush } from './soak-repo.ts';
import { CLUSTER, createMttpRepo } from './mttp-repo.ts';

export interface MttpResult {
  apps: number;
  workers: number;
  /** Push delivered → every app Synced + Healthy at the commit in the state table; absent when not reached. */
  seconds?: number;
  /** Push delivered → the webhook's answer. */
  webhookSeconds: number;
  /** Push delivered → the first write to the cluster: the webhook, the registry refresh and the fan-out to sync jobs. */
  firstApplySeconds?: number;
  /** Push delivered → the last app's success commit status. */
  lastStatusSeconds?: number;
  synced: number;
  webhookStatus: number;
  apiRequests: number;
  apiRequestsByVerb: Record<string, number>;
  dynamoRequests: number;
  dynamoRequestsByOperation: Record<string, number>;
  /** Requests to a GitHub double: none here, the repository is local and statuses go to the console. */
  githubRequests: number;
  /** Peak RSS in MiB: this process (sandbox, dynalite, fauxqs, webhook), the largest worker, all together. */
  rssMiB: { main: number; worker: number; total: number };
  /** CPU seconds (user + system) from start to the last app synced: this process (sandbox, dynalite, fauxqs, webhook) and the workers together. */
  cpuSeconds: { main: number; workers: number };
  /** Why it did not finish, when it did not: failure statuses, dead letters, the last worker lines. */
  problem?: string;
}

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    apps: { type: 'string', default: '100' },
    workers: { type: 'string', default: '4' },
    'batch-size': { type: 'string', default: '1' },
    timeout: { type: 'string', default: '10m' },
  },
});
const APPS = Number(values.apps);
const WORKERS = Number(values.workers);
const TIMEOUT_MS = parseDuration(values.timeout);
/** With the queue empty this long and apps still missing, the run has stalled (e.g. the registry refresh failed). */
const STALL_MS = 20_000;
const PROBLEM_LINES = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dir = await mkdtemp(join(tmpdir(), 'driftless-mttp-'));
const workerTmp = join(dir, 'tmp');
await mkdir(workerTmp);
// The request log is read for counts only: its bodies would grow with the fleet (10,000 apps are 40,000 applies).
const sandbox = await startSandbox({ requestBodies: false });
const kubeconfig = join(dir, 'sandbox.kubeconfig');
await sandbox.writeKubeconfig(kubeconfig, 'sandbox');
const services = await startLocalServices();
const dynamoDirect = services.env.AWS_ENDPOINT_URL_DYNAMODB;
// Counts what the webhook and the workers ask DynamoDB.
const proxy = await startDynamoCounter(dynamoDirect);
const repoDir = join(dir, 'repo');
const sha = await createMttpRepo(repoDir, APPS, 'sandbox');
const webhookSecret = 'mttp-webhook-secret';

Object.assign(process.env, services.env, {
  AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
  WEBHOOK_SECRET: JSON.stringify({ webhookSecret }),
  GITHUB_SECRET: '{}',
  CONFIG_REPO_URL: repoDir,
  CONFIG_REPO_BRANCH: 'main',
  CONFIG_DIR: 'driftless',
  LOCAL_REPOSITORIES: 'allow',
  EVENTS_FILE: join(dir, 'events.jsonl'),
  KUBECONFIG: kubeconfig,
  POWERTOOLS_LOG_LEVEL: 'WARN',
  POWERTOOLS_METRICS_DISABLED: 'true',
});
const { handler: webhook } = await import('../../functions/webhook/handler.ts');
const server = await startWebhookServer(webhook, 0);

const successAt = new Map<string, number>();
const failures: string[] = [];
const workerLines: string[] = [];
// Console commit statuses: `status <state> driftless/<app>@<cluster> <where>: <description>`, or the config commit's own context.
const STATUS = /^status (success|failure|error) (\S+) \S+: (.*)$/;
const pool = startWorkerPool({
  count: WORKERS,
  env: { ...process.env, TMPDIR: workerTmp },
  args: ['--batch-size', values['batch-size'], '--wait-seconds', '1'],
  stdio: 'pipe',
  onExit: (pid, code, signal) => workerLines.push(`worker ${pid} exited (${signal ?? `code ${code}`})`),
});
/** Worker processes that have loaded the handler and poll the queue: local mode is up once all do. */
const polling = new Set<number>();
const peakKiB = new Map<number, number>();
const cpuTicks = new Map<number, number>();
const watched = new Set<number>();
const watchChildren = () => {
  for (const child of pool.children) {
    const pid = child.pid ?? -1;
    if (watched.has(pid)) continue;
    watched.add(pid);
    // Every line must be read, or a child blocks on a full pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = STATUS.exec(line);
      if (!match) return;
      const [, state, context, description] = match;
      const target = context.replace(/^driftless\//, '');
      if (state === 'success') successAt.set(target, Date.now());
      else if (failures.length < PROBLEM_LINES) failures.push(`${state} ${context}: ${description}`);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      if (/^worker-process \d+: polling /.test(line)) polling.add(pid);
      workerLines.push(line);
      if (workerLines.length > PROBLEM_LINES) workerLines.shift();
    });
  }
};
const sampleRss = async () => {
  for (const child of pool.children) {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
    if (hwm) peakKiB.set(child.pid ?? -1, Math.max(peakKiB.get(child.pid ?? -1) ?? 0, Number(hwm[1])));
    const stat = await readFile(`/proc/${child.pid}/stat`, 'utf8').catch(() => '');
    // utime and stime, fields 14 and 15, in clock ticks (100 a second on Linux): after the command's closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.length > 13) cpuTicks.set(child.pid ?? -1, Number(fields[11]) + Number(fields[12]));
  }
};
watchChildren();

// The bench reads the table past the proxy: its own reads are not counted.
const table = new DynamoDBClient({ endpoint: dynamoDirect });
async function syncedApps(): Promise<number> {
  let count = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await table.send(
      new ScanCommand({
        TableName: services.env.STATE_TABLE,
        FilterExpression: 'sk = :state AND begins_with(pk, :target) AND revision = :sha AND syncStatus = :synced AND health = :healthy',
        ExpressionAttributeValues: {
          ':state': { S: 'STATE' },
          ':target': { S: 'TARGET#' },
          ':sha': { S: sha },
          ':synced': { S: 'Synced' },
          ':healthy': { S: 'Healthy' },
        },
        ProjectionExpression: 'pk',
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}
async function queueDepth(queueUrl: string): Promise<number> {
  const { Attributes = {} } = await services.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
}

// Pushed to a local mode that is up, as a push reaches a running one (Flux's controllers are
// running when its benchmark applies): every worker process polling.
while (polling.size < pool.children.length) await sleep(100);
const cpuBefore = process.cpuUsage();
const push = await localPush(repoDir, { initial: true });
const pushedAt = Date.now();
const answer = await deliverPush(server.url, webhookSecret, push.payload);
const answeredAt = Date.now();
let synced = 0;
let finishedAt: number | undefined;
let problem: string | undefined;
let idleSince: number | undefined;
if (answer.status !== 202) problem = `the push was answered ${answer.status}: ${answer.body}`;
while (!problem && finishedAt === undefined) {
  await sleep(1000);
  watchChildren();
  await sampleRss();
  const appStatuses = [...successAt.keys()].filter((target) => target.endsWith(`@${CLUSTER}`)).length;
  // The table is scanned once the statuses say every app is done, and every 10 s for progress.
  if (appStatuses >= APPS || (Date.now() - pushedAt) % 10_000 < 1000) synced = await syncedApps();
  if (synced >= APPS) {
    finishedAt = Date.now();
    break;
  }
  const depth = await queueDepth(services.queueUrl);
  idleSince = depth > 0 ? undefined : (idleSince ?? Date.now());
  const dead = await queueDepth(services.dlqUrl);
  if (idleSince !== undefined && Date.now() - idleSince > STALL_MS)
    problem = `stalled: the job queue has been empty for ${STALL_MS / 1000} s with ${synced} of ${APPS} apps synced; ${dead} job(s) dead-lettered`;
  else if (Date.now() - pushedAt > TIMEOUT_MS) problem = `not every app synced within ${values.timeout}: ${synced} of ${APPS}; ${dead} job(s) dead-lettered`;
  if (problem && failures.length > 0) problem += `\n  failure statuses: ${failures.join('\n    ')}`;
  if (problem && workerLines.length > 0) problem += `\n  last worker lines: ${workerLines.join('\n    ')}`;
}
await sampleRss();
const mainCpu = process.cpuUsage(cpuBefore);
const appSuccesses = [...successAt].filter(([target]) => target.endsWith(`@${CLUSTER}`)).map(([, at]) => at);
const lastStatus = Math.max(0, ...appSuccesses);
const requests = sandbox.requests.entries();
const firstPatch = requests.find((request) => request.verb === 'patch');
const byVerb: Record<string, number> = {};
for (const request of requests) byVerb[request.verb] = (byVerb[request.verb] ?? 0) + 1;
const workerPeaks = [...peakKiB.values()];
const result: MttpResult = {
  apps: APPS,
  workers: WORKERS,
  seconds: finishedAt === undefined ? undefined : (finishedAt - pushedAt) / 1000,
  webhookSeconds: (answeredAt - pushedAt) / 1000,
  firstApplySeconds: firstPatch ? (Date.parse(firstPatch.time) - pushedAt) / 1000 : undefined,
  lastStatusSeconds: appSuccesses.length >= APPS ? (lastStatus - pushedAt) / 1000 : undefined,
  synced,
  webhookStatus: answer.status,
  apiRequests: requests.length,
  apiRequestsByVerb: byVerb,
  dynamoRequests: Object.values(proxy.requests).reduce((sum, count) => sum + count, 0),
  dynamoRequestsByOperation: { ...proxy.requests },
  githubRequests: 0,
  rssMiB: {
    main: Math.round(process.resourceUsage().maxRSS / 1024),
    worker: Math.round(Math.max(0, ...workerPeaks) / 1024),
    total: Math.round((process.resourceUsage().maxRSS + workerPeaks.reduce((sum, kib) => sum + kib, 0)) / 1024),
  },
  cpuSeconds: {
    main: (mainCpu.user + mainCpu.system) / 1e6,
    workers: [...cpuTicks.values()].reduce((sum, ticks) => sum + ticks, 0) / 100,
  },
  problem,
};
console.log(`MTTP-RESULT ${JSON.stringify(result)}`);

await pool.stop();
table.destroy();
await server.close();
await proxy.stop();
await services.stop();
await sandbox.stop();
await rm(dir, { recursive: true, force: true });
process.exit(0);
