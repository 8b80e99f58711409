// `driftless apps`: one line per app × cluster, the fleet at a glance.
import { targetViews, type TargetView } from '../../shared/operations/targets.ts';
import type { Command } from '../main.ts';
import { BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { EXIT } from '../ops/errors.ts';
import { backendFlags } from '../ops/flags.ts';
import { age, oneLine, palette, printJson, shortSha, statusColour, table, type Palette } from '../ops/output.ts';
import { depthsIn, driftLabel, isFailing, matchesStatus, statusLabel } from '../ops/targets.ts';
import { parseFlags } from '../options.ts';
import { UsageError } from '../errors.ts';
import { printDora } from './dora.ts';

const help = `Usage: driftless apps [--app APP] [--cluster C] [--status S] [--watch] [--output json]
       driftless apps --dora [--since 30d] [--app APP] [--cluster C] [--status S] [--output json]

One line per app and cluster: applied revision, sync status, health, drift, age of the last
sync and its message. An app of apps' children are listed under it, indented, with a PARENT
column naming it (\`parent\` in --output json). --status matches a sync status (Synced,
OutOfSync, Syncing, Failed), a health (Healthy, Progressing, Degraded, ...), a drift status
(Drifted), or suspended / pinned.
--watch redraws the table every 2 seconds until Ctrl-C.

--dora prints DORA's four keys per app × cluster (then per app, and per app × the clusters'
\`env\` label) over the last --since (default 30d; days, or a duration such as 12h), from the
recorded history: deployment frequency (deployments of a new revision that reached Synced +
Healthy, per day), lead time (commit → Synced + Healthy, median and p90), change failure rate
(deployments that failed or were rolled back) and time to restore (failing → next Synced +
Healthy, median). The window reaches back no further than the 50 newest syncs kept per target.

Exit 1 when a listed target's last sync failed or it is Degraded or Missing.
${BACKEND_HELP}`;

const WATCH_INTERVAL_MS = 2000;

export const appsCommand: Command = {
  async run(args) {
    const { values } = parseFlags(args, {
      ...backendFlags,
      app: { type: 'string' },
      cluster: { type: 'string' },
      status: { type: 'string' },
      watch: { type: 'boolean', short: 'w' },
      dora: { type: 'boolean' },
      since: { type: 'string' },
    });
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const json = jsonOutput(values);
    if (values.dora && values.watch) throw new UsageError('--dora and --watch do not go together');
    if (values.since !== undefined && !values.dora) throw new UsageError('--since is for --dora');
    return onBackend('apps', values, async (backend) => {
      const select = (views: TargetView[]) =>
        views.filter(
          (view) =>
            (!values.app || view.app === values.app) &&
            (!values.cluster || view.cluster === values.cluster) &&
            (!values.status || matchesStatus(view, values.status)),
        );
      const load = async () => {
        const { registry, states } = await backend.fleet();
        return select(targetViews(registry, states));
      };
      const show = (views: TargetView[]) => {
        if (json) printJson(views);
        else process.stdout.write(views.length === 0 ? 'No apps match.\n' : formatApps(views, palette()));
      };
      if (values.dora) {
        const { registry, states } = await backend.fleet();
        return printDora(backend.store, registry, select(targetViews(registry, states)), { since: values.since, json });
      }
      if (!values.watch) {
        const views = await load();
        show(views);
        return views.some(isFailing) ? EXIT.failed : EXIT.ok;
      }
      return watch(load, show, json);
    });
  },
};

export function formatApps(views: TargetView[], p: Palette, now = Date.now()): string {
  // The PARENT column appears only in a fleet that has an app of apps, so other tables stay as they were.
  const family = views.some((view) => view.parent !== undefined);
  const depthOf = depthsIn(views);
  const rows = views.map((view) => [
    `${'  '.repeat(depthOf(view))}${view.app}`,
    ...(family ? [view.parent ?? ''] : []),
    view.cluster,
    shortSha(view.revision),
    statusColour(p, statusLabel(view)),
    statusColour(p, view.health),
    statusColour(p, driftLabel(view)),
    age(view.lastSyncFinishedAt, now),
    oneLine(view.message),
  ]);
  return table(['APP', ...(family ? ['PARENT'] : []), 'CLUSTER', 'REVISION', 'STATUS', 'HEALTH', 'DRIFT', 'LAST SYNC', 'MESSAGE'], rows, p);
}

/** Redraws in place on a terminal (one JSON document per refresh with --output json) until SIGINT. */
async function watch(load: () => Promise<TargetView[]>, show: (views: TargetView[]) => void, json: boolean): Promise<number> {
  let stopped = false;
  let wake: () => void = () => {};
  const stop = () => {
    stopped = true;
    wake();
  };
  process.once('SIGINT', stop);
  try {
    while (!stopped) {
      const views = await load();
      if (!json && process.stdout.isTTY) process.stdout.write('\x1b[H\x1b[2J');
      show(views);
      if (!json) process.stdout.write(`\nEvery ${WATCH_INTERVAL_MS / 1000}s, ${new Date().toLocaleTimeString()}. Ctrl-C to stop.\n`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, WATCH_INTERVAL_MS);
      });
    }
    return EXIT.ok;
  } finally {
    process.off('SIGINT', stop);
  }
}
