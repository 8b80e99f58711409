// npm run bench:webhook — the webhook function against the embedded services (dynalite,
// fauxqs) with a registry of 20 apps: warm latency (p50/p99 over signed pushes that each
// match and queue one app), cold start (a fresh `node` process that imports the handler and
// answers its first delivery, from the TypeScript sources and from the minified bundle), and
// the minified bundle size of each function; and push matching at scale (a push listing ~1M
// paths, 2047 commits — the most a payload lists before GitHub cuts it and we match 'all' —
// against 200 and 10,000 apps, pure and through the intake); and push matching against a fleet
// of 10,000 apps shaped as a platform team's (50 team repositories × 100 apps, a monorepo of
// 5,000, multi-source apps, apps on HEAD and on a release branch): one-file pushes, a 2047-commit
// push listing thousands of paths, a 2048-commit push (GitHub's cap: matched as 'all') and the
// ~1M-path push, each warm (the index built once for the registry object, as a warm Lambda keeps
// it) and cold (a registry object never seen, so the index is built in the request), p50 / p99.
// Prints figures; asserts nothing. BENCH_PUSHES (default 200), BENCH_COLD_RUNS (default 5) and
// BENCH_MATCH_RUNS (default 200 warm runs per fleet case; cold and 1M runs are a tenth and a
// fortieth of it) change the counts; BENCH_ONLY=matching prints the matching figures alone.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'bench-webhook-secret';
const REPO_URL = 'https://github.com/acme/gitops.git';
const APPS = 20;
const PUSHES = Number(process.env.BENCH_PUSHES ?? 200);
const WARMUP = 10;
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const CHILD_FLAG = '--cold-start-child';

// ---- The child of a cold-start run: import the handler, answer one delivery, report, exit.
// Only node builtins are imported above, so the child pays for nothing but the handler.
if (process.argv[2] === CHILD_FLAG) {
  const importStarted = performance.now();
  const { handler } = (await import(process.argv[3])) as { handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number }> };
  const imported = performance.now();
  const response = await handler(JSON.parse(process.env.BENCH_EVENT ?? '{}') as APIGatewayProxyEventV2, childContext());
  const answered = performance.now();
  process.stdout.write(
    `${JSON.stringify({ statusCode: response.statusCode, processStartMs: importStarted, importMs: imported - importStarted, firstDeliveryMs: answered - imported })}\n`,
  );
  process.exit(0);
}

function childContext(): Context {
  const deadline = Date.now() + 10_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'webhook',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:webhook',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/webhook',
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

// ---- The benchmark.
const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
const { build } = await import('esbuild');
const { startLocalServices } = await import('../local/services.ts');
const { parseRegistryFiles } = await import('../shared/config/load.ts');
const { DynamoStateStore } = await import('../shared/state/dynamo-store.ts');
const { changedFilesOf, matchPush, tracksBranch, watchedPaths } = await import('../shared/config/match.ts');
const { isUnder } = await import('../shared/config/paths.ts');
const { sameRepo } = await import('../shared/config/repo-url.ts');
const { handleDelivery } = await import('../shared/webhook/intake.ts');
const { availableParallelism, loadavg } = await import('node:os');
const { SignatureVerifier } = await import('../shared/webhook/verify.ts');
type Registry = import('../shared/config/types.ts').Registry;
type PushChange = import('../shared/config/match.ts').PushChange;

const sha = () => randomBytes(20).toString('hex');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

function registryFiles(): Array<{ file: string; text: string }> {
  const files = [
    {
      file: 'driftless/clusters.yaml',
      text: 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: sandbox }\nspec:\n  kubeconfig: { context: sandbox }\n',
    },
  ];
  for (let i = 0; i < APPS; i++) {
    const name = `app-${String(i).padStart(2, '0')}`;
    files.push({
      file: `driftless/apps/${name}.yaml`,
      text: `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name}, namespace: argocd }
spec:
  project: default
  source: { repoURL: ${REPO_URL}, targetRevision: main, path: apps/${name} }
  destination: { name: sandbox, namespace: ${name} }
  syncPolicy: { automated: { prune: true, selfHeal: true } }
`,
    });
  }
  return files;
}

/** A push of three commits that touches one app (and some files no app tracks). */
function pushEvent(index: number, deliveryId = randomUUID()): APIGatewayProxyEventV2 {
  const app = `app-${String(index % APPS).padStart(2, '0')}`;
  const after = sha();
  const commits = [0, 1, 2].map((n) => ({
    id: n === 2 ? after : sha(),
    tree_id: sha(),
    distinct: true,
    message: `change ${index}.${n}`,
    timestamp: new Date().toISOString(),
    url: `https://github.com/acme/gitops/commit/${after}`,
    author: { name: 'a', email: 'a@example.com', username: 'a' },
    committer: { name: 'a', email: 'a@example.com', username: 'a' },
    added: n === 0 ? [`apps/${app}/new-${index}.yaml`] : [],
    modified: [`apps/${app}/deploy.yaml`, 'README.md', `docs/page-${n}.md`, 'ci/pipeline.yaml'],
    removed: n === 1 ? [`docs/old-${index}.md`] : [],
  }));
  const payload = {
    ref: 'refs/heads/main',
    before: sha(),
    after,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/acme/gitops/compare/x...y`,
    commits,
    head_commit: commits[2],
    repository: {
      id: 1,
      name: 'gitops',
      full_name: 'acme/gitops',
      private: true,
      clone_url: REPO_URL,
      html_url: 'https://github.com/acme/gitops',
      ssh_url: 'git@github.com:acme/gitops.git',
      default_branch: 'main',
      master_branch: 'main',
    },
    pusher: { name: 'a', email: 'a@example.com' },
    sender: { login: 'a', id: 1, type: 'User' },
  };
  const body = JSON.stringify(payload);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      'user-agent': 'GitHub-Hookshot/bench',
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'url',
      domainName: 'local',
      domainPrefix: 'local',
      http: { method: 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'GitHub-Hookshot/bench' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: '',
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}

/** Spawns a fresh node that imports `module` and answers one delivery; ms from spawn to its answer. */
function coldStart(
  module: string,
  env: NodeJS.ProcessEnv,
  index: number,
): Promise<{ totalMs: number; importMs: number; firstDeliveryMs: number; statusCode: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), CHILD_FLAG, module], {
      env: { ...env, BENCH_EVENT: JSON.stringify(pushEvent(1000 + index)) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"statusCode"'));
      if (line) {
        const totalMs = performance.now() - started;
        const report = JSON.parse(line) as { statusCode: number; importMs: number; firstDeliveryMs: number };
        resolve({ totalMs, ...report });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!stdout.includes('{"statusCode"')) reject(new Error(`cold-start child exited with ${code}:\n${stderr}${stdout}`));
    });
  });
}

// ---- Push matching at scale: 2047 commits × 489 files ≈ 1M paths, short enough to stay under
// GitHub's 25 MB payload cap.
const SCALE_COMMITS = 2047;
const SCALE_FILES_PER_COMMIT = 489;

function scaleRegistry(apps: number): Registry {
  return {
    apps: Array.from({ length: apps }, (_, index) => ({
      name: `app-${index}`,
      project: 'default',
      source: { repoURL: REPO_URL, targetRevision: 'main', path: `apps/app-${index}`, extraPaths: [`shared/lib-${index % 50}`] },
      destinations: [{ cluster: 'sandbox', namespace: `app-${index}` }],
      syncPolicy: { syncOptions: [], createNamespace: false },
      ignoreDifferences: [],
      definedIn: { file: `driftless/apps/app-${index}.yaml`, line: 1 },
    })),
    clusters: [],
    projects: [],
  };
}

/** The payload: every commit touches ~489 files of a monorepo; two commits touch two apps. */
function scalePayload(): Record<string, unknown> {
  const commits = Array.from({ length: SCALE_COMMITS }, (_, n) => ({
    id: sha(),
    added: [] as string[],
    removed: [] as string[],
    modified: Array.from({ length: SCALE_FILES_PER_COMMIT }, (_, f) => `s/m${n % 97}/f${n * SCALE_FILES_PER_COMMIT + f}.ts`),
  }));
  commits[5].modified.push('apps/app-7/deploy.yaml');
  commits[2000].modified.push('apps/app-199/values.yaml');
  const after = sha();
  return {
    ref: 'refs/heads/main',
    before: sha(),
    after,
    created: false,
    deleted: false,
    forced: false,
    commits,
    head_commit: commits.at(-1),
    repository: { clone_url: REPO_URL, default_branch: 'main' },
  };
}

/** The plain definition the index replaced: every app against every file (files × apps × paths). */
function matchByDefinition(registry: Registry, push: PushChange): number {
  let targets = 0;
  for (const app of registry.apps) {
    if (!sameRepo(app.source.repoURL, push.repoURL) || !tracksBranch(app.source.targetRevision, push.branch, push.defaultBranch)) continue;
    const folders = watchedPaths(app);
    if (push.changedFiles === 'all' || push.changedFiles.some((file) => folders.some((folder) => isUnder(file, folder)))) targets += app.destinations.length;
  }
  return targets;
}

async function matchingAtScale(): Promise<string[]> {
  const lines: string[] = [];
  const payload = scalePayload();
  const body = JSON.stringify(payload);
  let started = performance.now();
  const files = changedFilesOf(payload as Parameters<typeof changedFilesOf>[0]);
  const listMs = performance.now() - started;
  const paths = files === 'all' ? 0 : files.length;
  lines.push(
    `push matching at scale: ${SCALE_COMMITS} commits, ${paths} distinct paths, body ${(Buffer.byteLength(body) / 1024 / 1024).toFixed(1)} MiB; changedFilesOf ${ms(listMs)}`,
  );
  for (const apps of [200, 10_000]) {
    const registry = scaleRegistry(apps);
    const push: PushChange = { repoURL: REPO_URL, branch: 'main', headSha: String(payload.after), changedFiles: files, defaultBranch: 'main' };
    started = performance.now();
    const targets = matchPush(registry, push);
    const matchMs = performance.now() - started;
    // The intake end to end (verify the signature, parse, list, match), in memory: no store, no queue.
    const verifier = new SignatureVerifier(SECRET);
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    };
    started = performance.now();
    const response = await handleDelivery(
      { headers, body },
      {
        verifier,
        registry: async () => registry,
        rememberDelivery: async () => true,
        forgetDelivery: async () => {},
        requestSync: async () => 1,
        enqueue: async () => {},
      },
    );
    const intakeMs = performance.now() - started;
    lines.push(
      `  ${String(apps).padStart(6)} apps: matchPush ${ms(matchMs).padStart(10)} (${targets.length} targets)   whole intake ${ms(intakeMs).padStart(10)} (answer ${response.statusCode})`,
    );
  }
  // The definition on a slice only: on all of it this is the 85 s the index replaced.
  const slice = files === 'all' ? [] : files.slice(0, 20_000);
  started = performance.now();
  matchByDefinition(scaleRegistry(200), { repoURL: REPO_URL, branch: 'main', headSha: 'a'.repeat(40), changedFiles: slice, defaultBranch: 'main' });
  lines.push(
    `  for comparison, every app × every file (the matching before the index), 200 apps on the first ${slice.length} paths only: ${ms(performance.now() - started)}`,
  );
  return lines;
}

// ---- Push matching against a fleet of 10,000 apps.
const FLEET_TEAMS = 50;
const FLEET_APPS_PER_TEAM = 100;
const FLEET_MONOREPO_APPS = 5000;
const MONOREPO_URL = 'https://github.com/acme/platform.git';
const MATCH_RUNS = Number(process.env.BENCH_MATCH_RUNS ?? 200);
type AppSpec = Registry['apps'][number];

function fleetApp(name: string, source: AppSpec['source'], clusters: string[], sources?: AppSpec['source'][]): AppSpec {
  return {
    name,
    project: 'default',
    source,
    ...(sources ? { sources } : {}),
    destinations: clusters.map((cluster) => ({ cluster, namespace: name })),
    syncPolicy: { syncOptions: [], createNamespace: false },
    ignoreDifferences: [],
    definedIn: { file: `driftless/apps/${name}.yaml`, line: 1 },
  };
}

/**
 * 50 team repositories of 100 apps (Kustomize overlays per environment, every tenth on HEAD and
 * every tenth on `release`, some watching a shared base), and a monorepo of 5,000 services (a
 * third on HEAD, half with Helm value files outside their folder, every tenth multi-source: a chart
 * with `$values/…` files from the monorepo and an extras folder), spread over 1 to 3 clusters.
 */
function fleetRegistry(): Registry {
  const apps: AppSpec[] = [];
  for (let team = 0; team < FLEET_TEAMS; team++) {
    for (let n = 0; n < FLEET_APPS_PER_TEAM; n++) {
      const env = ['dev', 'staging', 'prod'][n % 3];
      const targetRevision = n % 10 === 0 ? 'HEAD' : n % 10 === 1 ? 'release' : 'main';
      const source = { repoURL: `https://github.com/acme/team-${team}`, targetRevision, path: `apps/app-${n}/overlays/${env}` };
      apps.push(fleetApp(`team-${team}-app-${n}`, n % 7 === 0 ? { ...source, extraPaths: ['base/common'] } : source, [`${env}-eu`, `${env}-us`]));
    }
  }
  for (let n = 0; n < FLEET_MONOREPO_APPS; n++) {
    const name = `svc-${n}`;
    const clusters = n % 4 === 0 ? ['prod-eu', 'prod-us', 'prod-ap'] : ['dev-eu'];
    if (n % 10 === 5) {
      const sources = [
        {
          repoURL: 'https://charts.example.com',
          chart: 'service',
          targetRevision: '2.*',
          path: '.',
          helm: { valueFiles: [`$values/services/${name}/values.yaml`, '$values/envs/prod.yaml'] },
        },
        { repoURL: MONOREPO_URL, targetRevision: 'main', path: '.', ref: 'values', valuesOnly: true },
        { repoURL: MONOREPO_URL, targetRevision: 'HEAD', path: `services/${name}/extras` },
      ];
      apps.push(fleetApp(name, sources[2], clusters, sources));
    } else {
      const helm = n % 2 === 0 ? { helm: { valueFiles: ['values.yaml', '../../../envs/prod.yaml'] } } : {};
      apps.push(fleetApp(name, { repoURL: MONOREPO_URL, targetRevision: n % 3 === 0 ? 'HEAD' : 'main', path: `services/${name}/deploy`, ...helm }, clusters));
    }
  }
  return { apps, clusters: [], projects: [] };
}

function fleetPayload(repoURL: string, commits: Array<{ added?: string[]; removed?: string[]; modified?: string[] }>): Record<string, unknown> {
  return {
    ref: 'refs/heads/main',
    before: sha(),
    after: sha(),
    created: false,
    deleted: false,
    forced: false,
    commits: commits.map((commit) => ({ id: sha(), added: [], removed: [], modified: [], ...commit })),
    head_commit: { id: sha(), timestamp: new Date().toISOString() },
    repository: { clone_url: repoURL, default_branch: 'main' },
  };
}

/** The fleet's pushes; each payload's body is signed once, as GitHub would send it. */
function fleetCases(): Array<{ label: string; body: string; runs: number }> {
  const code = (n: number) => [`services/svc-${n % 5000}/src/main-${n}.go`, `services/svc-${(n * 7) % 5000}/src/util.go`, `docs/changes/${n}.md`];
  const thousands = Array.from({ length: 2047 }, (_, n) => ({
    modified: [...code(n), ...(n % 100 === 0 ? [`services/svc-${n}/deploy/deployment.yaml`] : [])],
    ...(n === 1000 ? { added: ['envs/prod.yaml'] } : {}),
  }));
  const million = Array.from({ length: SCALE_COMMITS }, (_, n) => ({
    modified: Array.from({ length: SCALE_FILES_PER_COMMIT }, (_, f) => `s/m${n % 97}/f${n * SCALE_FILES_PER_COMMIT + f}.ts`),
  }));
  return [
    {
      label: '(a) one file, monorepo',
      body: JSON.stringify(fleetPayload(MONOREPO_URL, [{ modified: ['services/svc-1234/deploy/deployment.yaml'] }])),
      runs: MATCH_RUNS,
    },
    {
      label: '(a) one file, team repo',
      body: JSON.stringify(fleetPayload('https://github.com/acme/team-7.git', [{ modified: ['base/common/labels.yaml'] }])),
      runs: MATCH_RUNS,
    },
    { label: '(b) 2047 commits listing paths', body: JSON.stringify(fleetPayload(MONOREPO_URL, thousands)), runs: MATCH_RUNS },
    { label: '(b) 2048 commits (cut: all)', body: JSON.stringify(fleetPayload(MONOREPO_URL, [...thousands, { modified: ['README.md'] }])), runs: MATCH_RUNS },
    { label: '(c) ~1M paths, 2047 commits', body: JSON.stringify(fleetPayload(MONOREPO_URL, million)), runs: Math.max(3, Math.round(MATCH_RUNS / 40)) },
  ];
}

/** p50 / p99 of wall-clock runs, and the mean CPU time of this thread per run (what the work costs when the machine is shared). */
function p50p99(runs: Array<{ wall: number; cpu: number }>): string {
  const sorted = runs.map((run) => run.wall).sort((a, b) => a - b);
  const fixed = (value: number) => value.toFixed(value < 10 ? 2 : 1);
  const cpu = runs.reduce((sum, run) => sum + run.cpu, 0) / runs.length;
  return `${fixed(percentile(sorted, 50)).padStart(7)} /${fixed(percentile(sorted, 99)).padStart(7)} (${fixed(cpu)})`.padEnd(26);
}

/** Wall-clock and this thread's CPU milliseconds of `work`. */
async function timed(work: () => unknown): Promise<{ wall: number; cpu: number }> {
  const cpuBefore = process.threadCpuUsage();
  const started = performance.now();
  await work();
  const wall = performance.now() - started;
  const cpu = process.threadCpuUsage(cpuBefore);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

/**
 * Per case: `match` is what push.ts does with the parsed payload (changedFilesOf, matchPush);
 * `intake` is the whole delivery in memory (size, signature, JSON, dedupe, match, jobs; no
 * store or queue behind it). Warm runs reuse one registry object; cold runs each get a copy
 * never matched before (copied outside the timing).
 */
async function fleetMatching(): Promise<string[]> {
  const registry = fleetRegistry();
  const verifier = new SignatureVerifier(SECRET);
  const lines = [
    `push matching against a fleet of ${registry.apps.length} apps (${FLEET_TEAMS} repos × ${FLEET_APPS_PER_TEAM}, a monorepo of ${FLEET_MONOREPO_APPS}, ${registry.apps.filter((app) => app.sources).length} multi-source, ${registry.apps.filter((app) => app.source.targetRevision === 'HEAD').length} on HEAD); milliseconds, wall-clock p50 / p99 and mean CPU of this thread per run, load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores:`,
    `  ${'case'.padEnd(32)} ${'paths'.padStart(8)} ${'targets'.padStart(8)}   ${['match warm', 'match cold', 'intake warm', 'intake cold'].map((column) => `${column}: p50 / p99 (cpu)`.padEnd(26)).join(' ')}`,
  ];
  for (const { label, body, runs } of fleetCases()) {
    const pushOf = (of: Registry) => {
      const payload = JSON.parse(body) as Parameters<typeof changedFilesOf>[0] & { after: string; repository: { clone_url: string } };
      return () => {
        const files = changedFilesOf(payload);
        const targets = matchPush(of, {
          repoURL: payload.repository.clone_url,
          branch: 'main',
          headSha: payload.after,
          changedFiles: files,
          defaultBranch: 'main',
        });
        return { paths: files === 'all' ? 'all' : String(files.length), targets: targets.length };
      };
    };
    const deliveryOf = (of: Registry) => {
      const headers = {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      };
      const deps = {
        verifier,
        registry: async () => of,
        rememberDelivery: async () => true,
        forgetDelivery: async () => {},
        requestSync: async () => 1,
        enqueue: async () => {},
      };
      return async () => {
        const response = await handleDelivery({ headers, body }, deps);
        if (response.statusCode !== 202 && response.statusCode !== 200)
          throw new Error(`fleet case ${label}: answer ${response.statusCode} ${JSON.stringify(response.body)}`);
      };
    };
    const coldRuns = Math.max(3, Math.round(runs / 10));
    const first = pushOf(registry)(); // also builds the warm index
    const series = async (count: number, prepare: (of: Registry) => () => unknown, fresh: boolean) => {
      const results = [];
      // Parsing the payload and copying the registry happen before the clock starts.
      for (let run = 0; run < count; run++) results.push(await timed(prepare(fresh ? structuredClone(registry) : registry)));
      return results;
    };
    const columns = [
      await series(runs, pushOf, false),
      await series(coldRuns, pushOf, true),
      await series(runs, deliveryOf, false),
      await series(coldRuns, deliveryOf, true),
    ];
    lines.push(`  ${label.padEnd(32)} ${first.paths.padStart(8)} ${String(first.targets).padStart(8)}   ${columns.map(p50p99).join(' ')}`);
  }
  lines.push(
    `  (runs per case: ${MATCH_RUNS} warm and ${Math.max(3, Math.round(MATCH_RUNS / 10))} cold; the ~1M-path case ${Math.max(3, Math.round(MATCH_RUNS / 40))} warm and 3 cold)`,
  );
  return lines;
}

const scaleLines = await matchingAtScale();
const fleetLines = await fleetMatching();
if (process.env.BENCH_ONLY === 'matching') {
  console.log(`${scaleLines.join('\n')}\n\n${fleetLines.join('\n')}`);
  process.exit(0);
}

const services = await startLocalServices({ visibilityTimeoutSeconds: 30 });
const bundleDir = await mkdtemp(join(tmpdir(), 'driftless-bench-webhook-'));
try {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...services.env,
    WEBHOOK_SECRET: JSON.stringify({ webhookSecret: SECRET }),
    CONFIG_REPO_URL: REPO_URL,
    CONFIG_REPO_BRANCH: 'main',
    CONFIG_DIR: 'driftless',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  Object.assign(process.env, env);
  const store = new DynamoStateStore({ client: new DynamoDBClient({}), tableName: services.env.STATE_TABLE });
  const registry = parseRegistryFiles(registryFiles());
  await store.putRegistry(registry, sha());

  // Warm latency: one container (module), dependencies built by the warm-up deliveries.
  const { handler } = await import('../functions/webhook/handler.ts');
  const { lambdaContext } = await import('../local/lambda-context.ts');
  const latencies: number[] = [];
  const statusCodes = new Map<number, number>();
  for (let i = 0; i < WARMUP + PUSHES; i++) {
    const event = pushEvent(i);
    const started = performance.now();
    const response = (await handler(event, lambdaContext('webhook', 10_000))) as { statusCode: number };
    const elapsed = performance.now() - started;
    if (i >= WARMUP) {
      latencies.push(elapsed);
      statusCodes.set(response.statusCode, (statusCodes.get(response.statusCode) ?? 0) + 1);
    }
  }
  latencies.sort((a, b) => a - b);

  // Bundles, as the stack builds them (ESM, minified, node24, everything bundled).
  const functionsDir = join(ROOT, 'functions');
  const functions = (await readdir(functionsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const bundles: Array<{ name: string; bytes: number; file: string }> = [];
  for (const name of functions) {
    const outfile = join(bundleDir, `${name}.mjs`);
    const result = await build({
      entryPoints: [join(functionsDir, name, 'handler.ts')],
      outfile,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      mainFields: ['module', 'main'],
      // Some dependencies are CommonJS and call require(); the stack's bundling adds the same banner.
      banner: { js: "import { createRequire as __driftlessCreateRequire } from 'module'; const require = __driftlessCreateRequire(import.meta.url);" },
      metafile: true,
      logLevel: 'error',
    });
    bundles.push({
      name,
      bytes: result.metafile.outputs[Object.keys(result.metafile.outputs).find((key) => key.endsWith(`${name}.mjs`)) ?? ''].bytes,
      file: outfile,
    });
  }

  // Cold starts: a fresh process per run, from the TypeScript sources and from the bundle.
  const webhookBundle = bundles.find((bundle) => bundle.name === 'webhook')?.file;
  const sources = [
    { label: 'sources (type-stripped TS)', module: join(functionsDir, 'webhook', 'handler.ts') },
    ...(webhookBundle ? [{ label: 'bundle (minified ESM)', module: webhookBundle }] : []),
  ];
  const cold: Array<{ label: string; runs: Array<Awaited<ReturnType<typeof coldStart>>> }> = [];
  for (const source of sources) {
    const runs = [];
    for (let i = 0; i < COLD_RUNS; i++) runs.push(await coldStart(source.module, env, cold.length * COLD_RUNS + i));
    cold.push({ label: source.label, runs });
  }

  console.log(
    `webhook warm latency over ${PUSHES} signed pushes (${WARMUP} warm-up deliveries not counted), registry of ${APPS} apps, each push 3 commits matching 1 app:`,
  );
  console.log(
    `  p50 ${ms(percentile(latencies, 50))}   p99 ${ms(percentile(latencies, 99))}   min ${ms(latencies[0])}   max ${ms(latencies.at(-1) ?? 0)}   answers: ${[...statusCodes].map(([code, count]) => `${count}× ${code}`).join(', ')}`,
  );
  console.log(`\nwebhook cold start (fresh node ${process.version} process → first response; median of ${COLD_RUNS}):`);
  for (const { label, runs } of cold) {
    console.log(
      `  ${label.padEnd(28)} ${ms(median(runs.map((run) => run.totalMs))).padStart(10)}   (import ${ms(median(runs.map((run) => run.importMs)))}, first delivery ${ms(median(runs.map((run) => run.firstDeliveryMs)))}; runs ${runs.map((run) => Math.round(run.totalMs)).join(', ')} ms; answers ${[...new Set(runs.map((run) => run.statusCode))].join(', ')})`,
    );
  }
  console.log(`\n${scaleLines.join('\n')}`);
  console.log(`\n${fleetLines.join('\n')}`);
  console.log('\nminified bundle per function (esbuild: ESM, minify, platform node, target node24, everything bundled):');
  for (const bundle of bundles)
    console.log(`  ${bundle.name.padEnd(14)} ${`${bundle.bytes} B`.padStart(12)}  ${kib(bundle.bytes).padStart(12)}   (${basename(bundle.file)})`);
} finally {
  await services.stop();
  await rm(bundleDir, { recursive: true, force: true });
}
