// npm run bench:apply — `driftless sync` against the real `kubectl apply --server-side` of
// the same ~500 rendered objects, each against its own sandbox with 5 ms added latency per
// request, then an unchanged resync. Prints figures; asserts nothing.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../local/sandbox/index.ts';
import { kubectlPath } from '../shared/tools/binaries.ts';
import { generateApp, ratio, run, timed } from './support.ts';

const LATENCY_MS = 5;
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 500);
const cli = new URL('../cli/bin.js', import.meta.url).pathname;

async function sandboxWithKubeconfig(name: string) {
  const sandbox = await startSandbox({ latencyMs: LATENCY_MS, controllers: { readyDelayMs: 20 } });
  const kubeconfig = join(tmpdir(), `bench-${name}-${process.pid}.kubeconfig`);
  await writeFile(kubeconfig, sandbox.kubeconfig());
  return { sandbox, kubeconfig };
}

const app = await generateApp('bench', OBJECTS);
const kubectl = await kubectlPath();

const ours = await sandboxWithKubeconfig('driftless');
const first = await timed(() =>
  run(process.execPath, [
    cli,
    'sync',
    '-f',
    app,
    '--name',
    'bench',
    '--namespace',
    'bench',
    '--kubeconfig',
    ours.kubeconfig,
    '--timeout',
    '60s',
    '--output',
    'json',
    ...(process.env.BENCH_CONCURRENCY ? ['--concurrency', process.env.BENCH_CONCURRENCY] : []),
  ]),
);
if (first.value.code !== 0) throw new Error(`driftless sync failed:\n${first.value.stderr}${first.value.stdout.slice(-2000)}`);
const ourRequests = ours.sandbox.requests.entries().length;
// The engine's own time, as in a warm worker: the CLI's process start and render excluded.
const engineMs = (JSON.parse(first.value.stdout) as { durationMs: number }).durationMs;
ours.sandbox.requests.clear();
const again = await timed(() => run(process.execPath, [cli, 'sync', '-f', app, '--name', 'bench', '--namespace', 'bench', '--kubeconfig', ours.kubeconfig]));
if (again.value.code !== 0) throw new Error(`driftless resync failed:\n${again.value.stderr}`);
const resync = ours.sandbox.requests.entries();
const resyncWrites = resync.filter((entry) => entry.method !== 'GET').length;

const theirs = await sandboxWithKubeconfig('kubectl');
const home = join(tmpdir(), `bench-kubectl-home-${process.pid}`);
const reference = await timed(() =>
  run(kubectl, ['apply', '--server-side', '--kubeconfig', theirs.kubeconfig, '--cache-dir', join(home, 'cache'), '-f', app], {
    PATH: process.env.PATH,
    HOME: home,
  }),
);
if (reference.value.code !== 0) throw new Error(`kubectl apply failed:\n${reference.value.stderr}`);
const theirRequests = theirs.sandbox.requests.entries().length;

await Promise.all([ours.sandbox.stop(), theirs.sandbox.stop()]);

const rows = [
  ['', 'time', 'requests'],
  [`driftless sync CLI (${OBJECTS} objects, waits for health)`, `${first.ms} ms`, String(ourRequests)],
  ['  of which the sync engine (warm worker)', `${engineMs} ms`, ''],
  ['kubectl apply --server-side (no health wait)', `${reference.ms} ms`, String(theirRequests)],
  ['driftless unchanged resync', `${again.ms} ms`, `${resync.length} (${resyncWrites} writes)`],
];
const width = Math.max(...rows.map((row) => row[0].length));
console.log(`bench:apply — sandbox latency ${LATENCY_MS} ms per request, both as fresh processes`);
for (const row of rows) console.log(`${row[0].padEnd(width)}  ${row[1].padStart(9)}  ${row[2]}`);
console.log(
  `speed-up over kubectl: ${ratio(reference.ms, first.ms)} end to end, ${ratio(reference.ms, engineMs)} for the engine (goal ≥ 5x); unchanged resync writes: ${resyncWrites} (goal 0)`,
);
