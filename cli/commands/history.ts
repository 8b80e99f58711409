// `driftless history APP`: the recorded syncs of an app, newest first.
import { clustersOf, requireKnownApp } from '../../shared/operations/lookup.ts';
import type { HistoryEntry } from '../../shared/state/types.ts';
import { oneAppCommand, BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { clusterFlag } from '../ops/flags.ts';
import { age, duration, oneLine, palette, printJson, shortSha, statusColour, table, type Palette } from '../ops/output.ts';
import { parseInteger } from '../options.ts';

const help = `Usage: driftless history APP [--cluster C] [--limit N] [--output json]

The recorded syncs of APP on each of its clusters (or on C), newest first: when it finished,
the revision (and the version of each chart it deployed), what triggered it (push, config,
self-heal, manual, rollback), the result and health, how long it took, and its message. The
JSON output lists every source's commit or chart version. --limit caps the entries per cluster (default 20).
${BACKEND_HELP}`;

export const historyCommand = oneAppCommand(help, { cluster: clusterFlag, limit: { type: 'string' } }, async (name, values) => {
  const json = jsonOutput(values);
  const limit = parseInteger('limit', values.limit, 20);
  return onBackend('history', values, async (backend) => {
    const { registry, states } = await backend.fleet();
    requireKnownApp(registry, states, name);
    const perCluster = await Promise.all(clustersOf(name, registry, states, values.cluster).map((cluster) => backend.store.listHistory(name, cluster, limit)));
    const entries = perCluster.flat().sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
    if (json) printJson(entries);
    else process.stdout.write(entries.length === 0 ? `No syncs of ${name} are recorded yet.\n` : formatHistory(entries, palette()));
    return 0;
  });
});

export function formatHistory(entries: HistoryEntry[], p: Palette, now = Date.now()): string {
  const rows = entries.map((entry) => [
    `${age(entry.finishedAt, now)} ago`,
    entry.cluster,
    revisionCell(entry),
    entry.reason ?? '',
    `${statusColour(p, entry.status)} ${statusColour(p, entry.health)}`,
    duration(entry.durationMs),
    oneLine(entry.message),
  ]);
  return table(['WHEN', 'CLUSTER', 'REVISION', 'TRIGGER', 'RESULT', 'DURATION', 'MESSAGE'], rows, p);
}

/** `abc1234`, and for the charts it deployed their versions: `abc1234 web@1.2.7`. */
function revisionCell(entry: HistoryEntry): string {
  const charts = (entry.sources ?? []).filter((source) => source.chart !== undefined).map((source) => `${source.chart}@${source.version ?? '?'}`);
  return [shortSha(entry.revision), ...charts].join(' ');
}
