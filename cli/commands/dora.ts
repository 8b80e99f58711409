// `driftless apps --dora`: the four DORA keys per app × cluster, per app, and per app × the
// clusters' `env` label, worked out from each target's recorded history (shared/dora/). One
// history query per target, a few at a time; the window cannot reach further back than the
// newest entries the store keeps per target (DEFAULT_HISTORY_LIMIT).
import pLimit from 'p-limit';
import type { Registry } from '../../shared/config/types.ts';
import { targetEvents, type TargetEvents } from '../../shared/dora/events.ts';
import { DEFAULT_WINDOW_DAYS, figuresOf, windowOf, type DoraFigures, type Window } from '../../shared/dora/metrics.ts';
import { DEFAULT_HISTORY_LIMIT } from '../../shared/state/history.ts';
import type { StateStore } from '../../shared/state/store.ts';
import type { TargetRef } from '../../shared/state/types.ts';
import { UsageError } from '../errors.ts';
import { parseDuration } from '../options.ts';
import { palette, printJson, table, type Palette } from '../ops/output.ts';

/** History queries in flight at once: enough to be quick, few enough not to be throttled on an on-demand table. */
const CONCURRENT_QUERIES = 8;
const DAY_MS = 86_400_000;

export interface DoraReport {
  window: { since: string; until: string; days: number };
  targets: Array<TargetRef & { env?: string } & DoraFigures>;
  /** An app over all its clusters. */
  apps: Array<{ app: string; clusters: number } & DoraFigures>;
  /** An app over the clusters labelled with one `env`. */
  environments: Array<{ app: string; env: string; clusters: number } & DoraFigures>;
}

/** `--since`: days ("30d") or a Go duration ("12h", "90m"); the window ends now. */
export function parseSince(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WINDOW_DAYS * DAY_MS;
  const days = /^(\d+(?:\.\d+)?)d$/.exec(value.trim());
  const ms = days ? Math.round(Number(days[1]) * DAY_MS) : parseDuration('since', value, 0);
  if (ms <= 0) throw new UsageError(`--since must be a positive duration such as 30d or 12h, got "${value}"`);
  return ms;
}

export async function doraReport(
  store: Pick<StateStore, 'listHistory'>,
  registry: Registry,
  targets: readonly TargetRef[],
  window: Window,
): Promise<DoraReport> {
  const limit = pLimit(CONCURRENT_QUERIES);
  const envOf = new Map(registry.clusters.map((cluster) => [cluster.name, cluster.labels?.env]));
  const read = await Promise.all(
    targets.map((target) =>
      limit(async () => ({
        ...target,
        env: envOf.get(target.cluster),
        events: targetEvents(await store.listHistory(target.app, target.cluster, DEFAULT_HISTORY_LIMIT)),
      })),
    ),
  );
  const groups = <K>(keyOf: (target: (typeof read)[number]) => K | undefined) => {
    const byKey = new Map<string, { key: K; events: TargetEvents[] }>();
    for (const target of read) {
      const key = keyOf(target);
      if (key === undefined) continue;
      const id = JSON.stringify(key);
      const group = byKey.get(id) ?? { key, events: [] };
      group.events.push(target.events);
      byKey.set(id, group);
    }
    return [...byKey.values()];
  };
  return {
    window: { since: new Date(window.since).toISOString(), until: new Date(window.until).toISOString(), days: (window.until - window.since) / DAY_MS },
    targets: read.map(({ app, cluster, env, events }) => ({ app, cluster, ...(env ? { env } : {}), ...figuresOf([events], window) })),
    apps: groups((target) => target.app).map(({ key, events }) => ({ app: key, clusters: events.length, ...figuresOf(events, window) })),
    environments: groups((target) => (target.env ? { app: target.app, env: target.env } : undefined)).map(({ key, events }) => ({
      ...key,
      clusters: events.length,
      ...figuresOf(events, window),
    })),
  };
}

export async function printDora(
  store: Pick<StateStore, 'listHistory'>,
  registry: Registry,
  targets: readonly TargetRef[],
  options: { since?: string; json: boolean; now?: number },
): Promise<number> {
  const window = windowOf(options.now ?? Date.now(), parseSince(options.since) / DAY_MS);
  const report = await doraReport(store, registry, targets, window);
  if (options.json) printJson(report);
  else process.stdout.write(report.targets.length === 0 ? 'No apps match.\n' : formatDora(report, palette()));
  return 0;
}

export function formatDora(report: DoraReport, p: Palette): string {
  const header = ['DEPLOYS/DAY', 'DEPLOYS', 'LEAD TIME p50/p90', 'CHANGE FAILURE', 'TIME TO RESTORE'];
  const cells = (figures: DoraFigures) => [
    figures.deploymentsPerDay.toFixed(2),
    `${figures.successfulDeployments}/${figures.deployments}`,
    figures.leadTimeSeconds.median === null ? '-' : `${span(figures.leadTimeSeconds.median)} / ${span(figures.leadTimeSeconds.p90 ?? 0)}`,
    figures.changeFailureRate === null ? '-' : `${Math.round(figures.changeFailureRate * 100)}% (${figures.failedDeployments}/${figures.deployments})`,
    [
      figures.timeToRestoreSeconds.median === null ? '' : span(figures.timeToRestoreSeconds.median),
      figures.unrestored > 0 ? p.red(`${figures.unrestored} failing`) : '',
    ]
      .filter(Boolean)
      .join(', ') || '-',
  ];
  const parts = [
    `DORA metrics over ${Number(report.window.days.toFixed(2))} days since ${report.window.since} (DEPLOYS: successful/all)\n\n`,
    table(
      ['APP', 'CLUSTER', ...header],
      report.targets.map((row) => [row.app, row.cluster, ...cells(row)]),
      p,
    ),
  ];
  // An app on one cluster is its own total: the per-app table only shows when it adds something.
  if (report.apps.some((row) => row.clusters > 1))
    parts.push(
      '\n',
      table(
        ['APP', 'CLUSTERS', ...header],
        report.apps.map((row) => [row.app, String(row.clusters), ...cells(row)]),
        p,
      ),
    );
  if (report.environments.length > 0)
    parts.push(
      '\n',
      table(
        ['APP', 'ENV', 'CLUSTERS', ...header],
        report.environments.map((row) => [row.app, row.env, String(row.clusters), ...cells(row)]),
        p,
      ),
    );
  return parts.join('');
}

/** "45s", "12m", "3.5h", "2.1d". */
export function span(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)}s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)}m`;
  if (seconds < 36 * 3600) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86_400).toFixed(1)}d`;
}
