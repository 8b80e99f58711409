// npm run bench:mttp — mean time to production in Flux's benchmark shape (fluxcd/flux-benchmark):
// N apps, each a folder with a Deployment scaled to zero, a ServiceAccount, a Service and an
// Ingress in a namespace of its own, every Application in one config commit pushed once to a
// fresh local mode. For each N and worker count it prints the time from the push to every app
// Synced + Healthy in the state table, the API-server requests (the sandbox's request log), the
// DynamoDB requests (counted by a proxy in front of dynalite), GitHub requests and peak RSS, next
// to Flux's published figures. Each run is bench/support/mttp-run.ts in a process of its own.
//   npm run bench:mttp                          N = 100, 500, 1000 with the default jobs at once (local/worker-pool.ts)
//   npm run bench:mttp -- --large               and 10,000
//   npm run bench:mttp -- --apps 100 --workers 1,10,20   (--workers: sync jobs at once, as npm start's)
// A run that cannot finish (e.g. a registry too large for its DynamoDB item) is reported with
// why, not waited for: it stops when the job queue stays empty with apps missing, or at --timeout.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_WORKERS } from '../local/worker-pool.ts';
import type { MttpResult } from './support/mttp-run.ts';

const RUN = fileURLToPath(new URL('./support/mttp-run.ts', import.meta.url));

/**
 * Flux v2.4's published MTTP figures, Kustomization row (kustomize-controller, 2 CPU, concurrency
 * 20, on a 16-core GitHub runner with a 3-node Kind cluster): fluxcd/flux-benchmark RESULTS.md.
 */
const FLUX: Record<number, { duration: string; memory: string }> = {
  100: { duration: '27 s', memory: '32 MiB' },
  500: { duration: '2m4s', memory: '122 MiB' },
  1000: { duration: '4m15s', memory: '175 MiB' },
};

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    apps: { type: 'string', default: '100,500,1000' },
    large: { type: 'boolean', default: false },
    workers: { type: 'string', default: String(DEFAULT_WORKERS) },
    'batch-size': { type: 'string', default: '1' },
    timeout: { type: 'string', default: '15m' },
  },
});
const counts = list('apps', values.apps);
if (values.large && !counts.includes(10_000)) counts.push(10_000);
const workerCounts = list('workers', values.workers);

const results: MttpResult[] = [];
for (const apps of counts) {
  for (const workers of workerCounts) {
    process.stderr.write(`bench:mttp: ${apps} apps, ${workers} worker(s) …\n`);
    const result = await runOnce(apps, workers);
    results.push(result);
    printRow(result);
  }
}
console.log('\nFlux (fluxcd/flux-benchmark RESULTS.md, Kustomization, 16-core runner):');
for (const [apps, flux] of Object.entries(FLUX)) console.log(`  ${apps.padStart(5)} apps  ${flux.duration.padStart(6)}  max memory ${flux.memory}`);
const failed = results.filter((result) => result.problem);
for (const result of failed) console.log(`\n${result.apps} apps, ${result.workers} worker(s) did not finish: ${result.problem}`);
process.exit(failed.length > 0 ? 1 : 0);

function list(name: string, text: string): number[] {
  const numbers = text.split(',').map((part) => Number(part.trim()));
  if (numbers.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`bench:mttp: --${name} must be whole numbers above 0, comma-separated, got "${text}"`);
  return numbers;
}

function runOnce(apps: number, workers: number): Promise<MttpResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [RUN, '--apps', String(apps), '--workers', String(workers), '--batch-size', values['batch-size'], '--timeout', values.timeout],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let result: MttpResult | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('MTTP-RESULT ')) result = JSON.parse(line.slice('MTTP-RESULT '.length)) as MttpResult;
    });
    child.once('exit', (code, signal) => {
      if (result) resolve(result);
      else reject(new Error(`bench:mttp: the run of ${apps} apps with ${workers} worker(s) ended (${signal ?? `code ${code}`}) without a result`));
    });
  });
}

function printRow(result: MttpResult): void {
  const time = result.seconds === undefined ? 'not reached' : `${result.seconds.toFixed(1)} s`;
  const perApp = (count: number) => (count / result.apps).toFixed(1);
  const flux = FLUX[result.apps] ? `  (Flux: ${FLUX[result.apps].duration})` : '';
  const first =
    result.firstApplySeconds === undefined
      ? ''
      : `  webhook answered at ${result.webhookSeconds.toFixed(1)} s, first apply at ${result.firstApplySeconds.toFixed(1)} s`;
  console.log(
    `${String(result.apps).padStart(5)} apps  ${String(result.workers).padStart(2)} job(s) at once  push → all Synced+Healthy ${time.padStart(11)}${flux}${first}` +
      `  synced ${result.synced}/${result.apps}` +
      `  API ${result.apiRequests} (${perApp(result.apiRequests)}/app: ${Object.entries(result.apiRequestsByVerb)
        .map(([verb, count]) => `${verb} ${count}`)
        .join(', ')})` +
      `  DynamoDB ${result.dynamoRequests} (${perApp(result.dynamoRequests)}/app: ${Object.entries(result.dynamoRequestsByOperation)
        .map(([operation, count]) => `${operation} ${count}`)
        .join(', ')})` +
      `  GitHub ${result.githubRequests}` +
      `  CPU ${((1000 * (result.cpuSeconds.main + result.cpuSeconds.workers)) / result.apps).toFixed(0)} ms/app (main ${result.cpuSeconds.main.toFixed(1)} s, workers ${result.cpuSeconds.workers.toFixed(1)} s)` +
      `  peak RSS ${result.rssMiB.total} MiB (main ${result.rssMiB.main}, largest worker ${result.rssMiB.worker})`,
  );
}
