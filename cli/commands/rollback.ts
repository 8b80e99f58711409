// `driftless rollback APP --to REV|previous`: sync a commit the target ran before and pin it
// there, so pushes are not applied (their commit statuses say so) until `driftless resume`.
import { destinationsOf, findApp } from '../../shared/operations/lookup.ts';
import type { SyncRequest } from '../../shared/operations/request.ts';
import { planRollback, startRollback } from '../../shared/operations/rollback.ts';
import { targetId } from '../../shared/queue/job.ts';
import { UsageError } from '../errors.ts';
import { oneAppCommand, BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { finishRequests, waitOptions } from '../ops/finish.ts';
import { clusterFlag, WAIT_HELP, waitFlags } from '../ops/flags.ts';
import { shortSha } from '../ops/output.ts';

const help = `Usage: driftless rollback APP --to REV|previous [--cluster C] [--force] [--wait] [--timeout 10m] [--output json]

Syncs APP on each of its clusters (or on C) back to REV, or with --to previous to the newest
successfully synced commit before the one applied now, and pins it there: pushes and
self-heal are not applied to a pinned target (the commit status of each skipped push says
so) until driftless resume APP. REV (a sha or a prefix of at least 4 digits) must be in the
target's recorded history as a successful sync; --force allows any full sha.

Exit 0 when requested (with --wait: synced and Healthy), 1 when with --wait the sync failed or
is not Healthy, 2 when the revision is refused or the app is not found.
${WAIT_HELP}${BACKEND_HELP}`;

const flags = { cluster: clusterFlag, to: { type: 'string' }, force: { type: 'boolean' }, ...waitFlags } as const;

export const rollbackCommand = oneAppCommand(help, flags, async (name, values) => {
  const to = values.to;
  if (!to) throw new UsageError('--to REV|previous is required: the commit to roll back to');
  const json = jsonOutput(values);
  const wait = waitOptions(values);
  return onBackend('rollback', values, async (backend) => {
    const { registry, states } = await backend.fleet();
    const app = findApp(registry, states, name);
    // Every target's revision is chosen (and may be refused) before anything is changed.
    const plan = await planRollback(backend, name, destinationsOf(app, registry, states, values.cluster), to, values.force === true);
    const requests: SyncRequest[] = [];
    for (const { cluster, revision } of plan) {
      requests.push(await startRollback(backend, { app: name, cluster }, revision, to));
      if (!json) process.stderr.write(`${targetId(name, cluster)}: pinned to ${shortSha(revision)}; pushes are not applied until driftless resume ${name}\n`);
    }
    return finishRequests(backend, requests, { ...wait, json, app: name, extra: { pinned: plan } });
  });
});
