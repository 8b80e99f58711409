// `driftless rollback APP --to REV|previous`: sync a commit the target ran before and pin it
// there, so pushes are not applied (their commit statuses say so) until `driftless resume`.
import { chooseRollbackRevision } from '../../shared/ops/rollback.ts';
import { parseDuration } from '../app-flags.ts';
import { UsageError } from '../errors.ts';
import type { Command } from '../main.ts';
import { backendFlags, BACKEND_HELP, jsonOutput, runOps, withBackend } from '../ops/command.ts';
import { RefusedError } from '../ops/errors.ts';
import { finishRequests } from '../ops/finish.ts';
import { clustersOf, findApp } from '../ops/lookup.ts';
import { shortSha } from '../ops/output.ts';
import { requestTargetSync, type SyncRequest } from '../ops/request.ts';
import { parseFlags } from '../options.ts';

const help = `Usage: driftless rollback APP --to REV|previous [--cluster C] [--force] [--wait] [--timeout 10m] [--output json]

Syncs APP on each of its clusters (or on C) back to REV, or with --to previous to the newest
successfully synced commit before the one applied now, and pins it there: pushes and
self-heal are not applied to a pinned target (the commit status of each skipped push says
so) until driftless resume APP. REV (a sha or a prefix of at least 4 digits) must be in the
target's recorded history as a successful sync; --force allows any full sha.

Exit 0 when requested (with --wait: synced and Healthy), 1 when with --wait the sync failed or
is not Healthy, 2 when the revision is refused or the app is not found.
${BACKEND_HELP}`;

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'sync an app back to a recorded revision and pin it there until resume',
  async run(args) {
    const { values, positionals } = parseFlags(
      args,
      { ...backendFlags, cluster: { type: 'string', short: 'c' }, to: { type: 'string' }, force: { type: 'boolean' }, wait: { type: 'boolean', short: 'w' }, timeout: { type: 'string' } },
      true,
    );
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`expected exactly one APP, got ${positionals.length}`);
    if (!values.to) throw new UsageError('--to REV|previous is required: the commit to roll back to');
    const name = positionals[0];
    const to = values.to;
    const json = jsonOutput(values);
    const timeoutMs = parseDuration('timeout', values.timeout, 10 * 60_000);
    return runOps('rollback', () =>
      withBackend(values, async (backend) => {
        const [registry, states] = await Promise.all([backend.registry(), backend.store.listTargets()]);
        const app = findApp(registry, states, name);
        const clusters = clustersOf(name, registry, states, values.cluster).filter((cluster) => app.destinations.some((destination) => destination.cluster === cluster));
        // Every target's revision is chosen (and may be refused) before anything is changed.
        const plan: Array<{ cluster: string; revision: string }> = [];
        for (const cluster of clusters) {
          const [state, history] = await Promise.all([backend.store.getTarget(name, cluster), backend.store.listHistory(name, cluster, 50)]);
          if (history.length === 0 && !values.force) throw new RefusedError(`${name}@${cluster} has no recorded syncs to roll back to`);
          plan.push({ cluster, revision: chooseRollbackRevision(history, state?.revision, to, values.force === true).revision });
        }
        const requests: SyncRequest[] = [];
        for (const { cluster, revision } of plan) {
          // Pin first: from here on the worker skips pushes for this target and lets the
          // rollback job through even if a push claims the target in between.
          await backend.store.putTargetState({ app: name, cluster, suspended: true, pinnedRevision: revision, message: `pinned to ${shortSha(revision)} by rollback` });
          requests.push(await requestTargetSync(backend, { app: name, cluster }, revision, 'rollback', to));
          if (!json) process.stderr.write(`${name}@${cluster}: pinned to ${shortSha(revision)}; pushes are not applied until driftless resume ${name}\n`);
        }
        return finishRequests(backend, requests, { wait: values.wait === true, json, timeoutMs, app: name, extra: { pinned: plan } });
      }),
    );
  },
};
