// `driftless apps`: one line per app × cluster, the fleet at a glance.
import { targetViews, type TargetView } from '../../shared/operations/targets.ts';
import { describeProgress, rolloutProgressOf, type RolloutProgress } from '../../shared/operations/rollout-progress.ts';
import { rollingSets } from '../../shared/operations/rollout.ts';
import type { Registry } from '../../shared/config/types.ts';
import type { TargetState } from '../../shared/state/types.ts';
import type { StateStore } from '../../shared/state/store.ts';
import { targetId } from '../../shared/queue/job.ts';
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
column naming it (\`parent\` in --output json). A target in an ApplicationSet's rollout shows its
step in a ROLLOUT column: "step 2 of 3", with the gate its step waits at, the halt, or the
step it waits for (\`rollout\` in --output json: set, step, steps, gate). --status matches a sync status (Synced,
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
        return withRollouts(select(targetViews(registry, states)), registry, states, backend.store);
      };
      const show = (views: AppRow[]) => {
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

/** A row of the table: the target, and where it stands in its set's rollout when it is in one. */
export type AppRow = TargetView & { rollout?: RolloutProgress };

/** The rows with their rollout progress: one Query of the rollout items, and none for a registry without RollingSync sets. */
async function withRollouts(views: TargetView[], registry: Registry, states: TargetState[], store: Pick<StateStore, 'listRollouts'>): Promise<AppRow[]> {
  if (rollingSets(registry).length === 0) return views;
  const progressOf = rolloutProgressOf(registry, await store.listRollouts());
  const apps = new Map(registry.apps.map((app) => [app.name, app]));
  const byTarget = new Map(states.map((state) => [targetId(state.app, state.cluster), state]));
  return views.map((view) => {
    const rollout = progressOf(apps.get(view.app), byTarget.get(targetId(view.app, view.cluster)));
    return rollout ? { ...view, rollout } : view;
  });
}

export function formatApps(views: AppRow[], p: Palette, now = Date.now()): string {
  // The PARENT column appears only in a fleet that has an app of apps, so other tables stay as they were.
  const family = views.some((view) => view.parent !== undefined);
  // The ROLLOUT column likewise only when a listed target is in a rollout.
  const rolling = views.some((view) => view.rollout !== undefined);
  const depthOf = depthsIn(views);
  const rows = views.map((view) => [
    `${'  '.repeat(depthOf(view))}${view.app}`,
    ...(family ? [view.parent ?? ''] : []),
    view.cluster,
    shortSha(view.revision),
    statusColour(p, statusLabel(view)),
    statusColour(p, view.health),
    statusColour(p, driftLabel(view)),
    ...(rolling ? [view.rollout ? oneLine(describeProgress(view.rollout)) : ''] : []),
    age(view.lastSyncFinishedAt, now),
    oneLine(view.message),
  ]);
  return table(
    ['APP', ...(family ? ['PARENT'] : []), 'CLUSTER', 'REVISION', 'STATUS', 'HEALTH', 'DRIFT', ...(rolling ? ['ROLLOUT'] : []), 'LAST SYNC', 'MESSAGE'],
    rows,
    p,
  );
}

/** Redraws in place on a terminal (one JSON document per refresh with --output json) until SIGINT. */
async function watch(load: () => Promise<AppRow[]>, show: (views: AppRow[]) => void, json: boolean): Promise<number> {
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
