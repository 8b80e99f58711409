// Prints the soak's figures: the faults as they were actually dealt (from the sandbox's request
// log and the DynamoDB proxy's counts), then one table of outcomes and checks, then each
// problem found, by name.
import type { DynamoFaultStats } from '../../local/dynamo-fault-proxy.ts';
import type { LoggedRequest } from '../../local/sandbox/index.ts';
import type { SoakFigures } from './soak-check.ts';
import type { Kill, WorkerExit } from './soak-workers.ts';

export interface SoakReport {
  pushes: number;
  apps: number;
  workers: number;
  seconds: { total: number };
  figures: SoakFigures;
  /** The sandbox's requests while faults were on. */
  sandbox: LoggedRequest[];
  faultRate: number;
  dynamo: DynamoFaultStats;
  throttleRate: number;
  dynamoLatency: { min: number; max: number };
  kills: Kill[];
  exits: WorkerExit[];
  webhook: { answered: number; redelivered: number };
  drained: boolean;
}

const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`);
const sum = (record: Record<string, number>) => Object.values(record).reduce((total, n) => total + n, 0);

export function printSoakReport(report: SoakReport): void {
  const { figures } = report;
  const byStatus = (status: number) => report.sandbox.filter((request) => request.status === status).length;
  const faulted = { 500: byStatus(500), 503: byStatus(503), 429: byStatus(429), dropped: byStatus(0) };
  const faults = faulted[500] + faulted[503] + faulted[429] + faulted.dropped;
  const writes = ['PutItem', 'UpdateItem', 'DeleteItem'].reduce((total, operation) => total + (report.dynamo.requests[operation] ?? 0), 0);
  const throttled = sum(report.dynamo.throttled);
  const crashes = report.exits.filter((exit) => !exit.killed && exit.code !== 0);

  console.log('');
  console.log(`bench:soak — ${report.pushes} pushes across ${report.apps} apps, ${report.workers} worker processes, ${report.seconds.total} s`);
  console.log(
    `  sandbox: ${faults} of ${report.sandbox.length} requests failed (${percent(faults, report.sandbox.length)}, asked ${percent(report.faultRate, 1)}): ` +
      `500 ×${faulted[500]}, 503 ×${faulted[503]}, 429 + Retry-After ×${faulted[429]}, dropped ×${faulted.dropped}`,
  );
  console.log(
    `  DynamoDB: ${sum(report.dynamo.requests)} requests answered ${report.dynamoLatency.min}–${report.dynamoLatency.max} ms late (setup included); ` +
      `${throttled} of ${writes} writes throttled (${percent(throttled, writes)}, asked ${percent(report.throttleRate, 1)}): ${
        Object.entries(report.dynamo.throttled)
          .map(([operation, n]) => `${operation} ×${n}`)
          .join(', ') || 'none'
      }`,
  );
  console.log(
    `  workers killed mid-sync: ${report.kills.length} (${report.kills.map((kill) => `${kill.app}@${kill.shaPrefix.slice(0, 7)} +${kill.afterMs} ms`).join(', ') || 'none'})`,
  );
  console.log(
    `  workers that exited on their own: ${crashes.length}${crashes.length ? ` (${crashes.map((exit) => `pid ${exit.pid} code ${exit.code}`).join(', ')}; code 3 = invocation timed out)` : ''}`,
  );
  console.log(
    `  webhook: ${report.webhook.answered} of ${report.pushes} pushes answered 202; ${report.webhook.redelivered} redelivery(ies) after a failed delivery`,
  );
  console.log('');

  const rows: Array<[string, number | string, string]> = [
    ['pushes', report.pushes, ''],
    ['  applied', figures.buckets.applied, ''],
    ['  superseded by a newer push of the app', figures.buckets.superseded, ''],
    ['  failed (last status failure/error)', figures.buckets.failed, ''],
    ['  dead-lettered', figures.buckets['dead-lettered'], `${figures.deadLetteredWithStatus} with a failure/error status`],
    ['  lost', figures.buckets.lost, 'must be 0'],
    [
      'applied out of order',
      figures.outOfOrder.cluster + figures.outOfOrder.history,
      `must be 0 (request log ${figures.outOfOrder.cluster}, history ${figures.outOfOrder.history})`,
    ],
    ['targets left on an older commit', figures.leftBehind, 'must be 0'],
    ['duplicate creates', figures.duplicateCreates, 'must be 0'],
    [
      'commits whose last status is pending',
      figures.leftPending,
      `started, then stood down for a newer push: ${figures.leftPendingAfter.syncing} after "Syncing", ${figures.leftPendingAfter.retrying} after "retrying"`,
    ],
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  for (const [label, value, note] of rows) console.log(`${label.padEnd(width)}  ${String(value).padStart(5)}  ${note}`);
  if (!report.drained) console.log('\nthe queue was not drained in time: raise --timeout or lower --pushes');
  if (figures.problems.length > 0) {
    console.log('\nproblems:');
    for (const problem of figures.problems) console.log(`  ${problem}`);
  }
}
