// npm run bench:drift — the drift scan of a synced ~500-object app against the real
// `kubectl diff --server-side` of the same objects, on a sandbox with 5 ms added latency per
// request. The scan runs in-process as a warm worker would (fresh discovery, as a new job
// has); kubectl as a fresh process. And `driftless diff` of the same folder as a fresh
// process beside kubectl, as a user runs both (the best of a few runs each: this machine is
// shared, and the first CLI run also fills Node's compile cache and the CLI's parse cache).
// Prints figures; asserts nothing.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startSandbox } from '../local/sandbox/index.ts';
import { detectDrift } from '../shared/drift/detect.ts';
import { desiredObjects } from '../shared/drift/desired.ts';
import { connectKubeconfig } from '../shared/kube/connect.ts';
import { Discovery } from '../shared/kube/discovery.ts';
import { render } from '../shared/render/render.ts';
import { sync } from '../shared/sync/sync.ts';
import { kubectlPath } from '../shared/tools/binaries.ts';
import { generateApp, ratio, run, timed, type Timed } from './support.ts';

const LATENCY_MS = 5;
const CLI_RUNS = 3;
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 500);
const APP = 'bench';

const dir = await generateApp('bench', OBJECTS);
const rendered = await render({ root: dir, path: '.', appName: APP, destinationNamespace: 'bench' });
const sandbox = await startSandbox({ latencyMs: LATENCY_MS, controllers: { readyDelayMs: 20 } });
const client = await connectKubeconfig({ kubeconfigYaml: sandbox.kubeconfig() });
const synced = await sync({ app: APP, objects: rendered.objects, client, discovery: new Discovery(client), options: { timeoutMs: 120_000 } });
if (synced.status !== 'Succeeded') throw new Error(`sync failed: ${synced.message}`);

const desired = await desiredObjects(APP, rendered.objects, new Discovery(client));
const kinds = new Set(desired.map((object) => `${object.apiVersion}/${object.kind}`)).size;
const namespaces = new Set(desired.map((object) => object.metadata.namespace ?? '')).size;

async function scan() {
  sandbox.requests.clear();
  const result = await timed(() =>
    detectDrift({ app: APP, rendered: rendered.objects, client, discovery: new Discovery(client), inventory: synced.inventory, findOrphans: true }),
  );
  const requests = sandbox.requests.entries();
  const discovery = requests.filter((entry) => /^\/(api|apis\/[^/]+)\/v1$/.test(entry.path)).length;
  return {
    ms: result.ms,
    findings: result.value,
    requests: requests.length,
    discovery,
    dryRuns: requests.filter((entry) => entry.query.dryRun !== undefined).length,
  };
}

const clean = await scan();

// kubectl diff --server-side on the same desired objects (tracking annotation included, as applied).
const file = join(tmpdir(), `bench-drift-${process.pid}.yaml`);
await writeFile(file, desired.map((object) => stringify(object)).join('---\n'));
const kubeconfig = join(tmpdir(), `bench-drift-${process.pid}.kubeconfig`);
await writeFile(kubeconfig, sandbox.kubeconfig());
const home = join(tmpdir(), `bench-drift-home-${process.pid}`);
sandbox.requests.clear();
const kubectl = await kubectlPath();
const kubectlArgs = [
  'diff',
  '--server-side',
  '--force-conflicts',
  '--field-manager',
  'driftless',
  '--kubeconfig',
  kubeconfig,
  '--cache-dir',
  join(home, 'cache'),
  '-f',
  file,
];
const reference = await timed(() => run(kubectl, kubectlArgs, { PATH: process.env.PATH, HOME: home }));
// kubectl diff exits 0 without differences, 1 with them, >1 on error.
if (reference.value.code > 1) throw new Error(`kubectl diff failed (${reference.value.code}):\n${reference.value.stderr}`);
const theirRequests = sandbox.requests.entries().length;
const secondReference = await timed(() => run(kubectl, kubectlArgs, { PATH: process.env.PATH, HOME: home }));

// driftless diff -f of the folder, a fresh process each time, with the same kubeconfig.
const bin = new URL('../cli/bin.js', import.meta.url).pathname;
// Its own compile and parse caches, empty: the first run is the first ever, the later ones are
// as a user's next (kubectl's second run likewise has its discovery and OpenAPI cache).
const cliEnv = { ...process.env, NODE_COMPILE_CACHE: join(home, 'node-compile-cache'), XDG_CACHE_HOME: join(home, 'xdg-cache') };
const cliRuns: Array<Timed<{ code: number; stdout: string; stderr: string }>> = [];
let cliRequests = 0;
for (let i = 0; i < CLI_RUNS; i++) {
  sandbox.requests.clear();
  const cli = await timed(() => run(process.execPath, [bin, 'diff', '-f', dir, '--name', APP, '--namespace', 'bench', '--kubeconfig', kubeconfig], cliEnv));
  // Exit 1 means differences, which a synced app must not have: the figure would be of other work.
  if (cli.value.code !== 0) throw new Error(`driftless diff exited ${cli.value.code}:\n${cli.value.stderr}${cli.value.stdout.slice(0, 2000)}`);
  cliRequests = sandbox.requests.entries().length;
  cliRuns.push(cli);
}
const kubectlMs = Math.min(reference.ms, secondReference.ms);
const cliMs = Math.min(...cliRuns.map((cli) => cli.ms));

// The same scan with a few objects changed by hand: suspects cost one dry-run each.
for (let i = 0; i < 5; i++) {
  await client.request({
    method: 'PATCH',
    path: `/api/v1/namespaces/bench/configmaps/config-${i}`,
    query: { fieldManager: 'kubectl-edit' },
    body: JSON.stringify({ data: { color: 'red' } }),
    contentType: 'application/merge-patch+json',
  });
}
const drifted = await scan();
client.close();
await sandbox.stop();

const rows = [
  ['', 'time', 'requests'],
  [
    `drift scan, no drift (${desired.length} objects, ${kinds} kinds, ${namespaces} namespaces)`,
    `${clean.ms} ms`,
    `${clean.requests} (${clean.discovery} discovery, ${clean.requests - clean.discovery} reads, ${clean.dryRuns} dry-runs)`,
  ],
  [
    'kubectl diff --server-side (same objects, fresh process)',
    `${kubectlMs} ms`,
    `${theirRequests}${reference.value.code === 1 ? ' (reported differences!)' : ''} (runs: ${reference.ms}, ${secondReference.ms} ms)`,
  ],
  [
    'driftless diff -f (same folder, fresh process)',
    `${cliMs} ms`,
    `${cliRequests} (runs: ${cliRuns.map((cli) => cli.ms).join(', ')} ms, the first with empty caches)`,
  ],
  [`drift scan, 5 objects edited (found ${drifted.findings.objects.length})`, `${drifted.ms} ms`, `${drifted.requests} (${drifted.dryRuns} dry-runs)`],
];
const width = Math.max(...rows.map((row) => row[0].length));
console.log(`bench:drift — sandbox latency ${LATENCY_MS} ms per request`);
for (const row of rows) console.log(`${row[0].padEnd(width)}  ${row[1].padStart(9)}  ${row[2]}`);
console.log(
  `reads ${clean.requests - clean.discovery} ≤ kinds × namespaces = ${kinds * namespaces} (goal); speed-up over kubectl diff: ${ratio(kubectlMs, clean.ms)} (goal ≥ 20x), requests ${ratio(theirRequests, clean.requests)} fewer`,
);
console.log(
  `driftless diff CLI vs kubectl diff --server-side, both fresh processes: ${ratio(kubectlMs, cliMs)} faster (goal ≥ 20x), requests ${ratio(theirRequests, cliRequests)} fewer`,
);
