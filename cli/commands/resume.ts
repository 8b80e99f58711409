// `driftless resume APP`: lift a suspension or a rollback's pin and sync the branch head.
import { parseDuration } from '../app-flags.ts';
import { UsageError } from '../errors.ts';
import type { Command } from '../main.ts';
import { backendFlags, BACKEND_HELP, jsonOutput, runOps, withBackend } from '../ops/command.ts';
import { finishRequests } from '../ops/finish.ts';
import { resumeTarget } from '../ops/hold.ts';
import { clustersOf, findApp } from '../ops/lookup.ts';
import { shortSha } from '../ops/output.ts';
import { requestTargetSync, type SyncRequest } from '../ops/request.ts';
import { RevisionResolver } from '../ops/revision.ts';
import { parseFlags } from '../options.ts';

const help = `Usage: driftless resume APP [--cluster C] [--wait] [--timeout 10m] [--output json]

Restarts automated sync of APP on each of its clusters (or on C) after driftless suspend or
driftless rollback: lifts the suspension and the pin, then syncs the head of the branch the
app tracks, so the target catches up with Git. With --wait, follows that sync to its end.

Exit 0 when resumed (with --wait: synced and Healthy), 1 when with --wait the sync failed or is
not Healthy.
${BACKEND_HELP}`;

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'lift a suspension or rollback pin and sync the branch head',
  async run(args) {
    const { values, positionals } = parseFlags(args, { ...backendFlags, cluster: { type: 'string', short: 'c' }, wait: { type: 'boolean', short: 'w' }, timeout: { type: 'string' } }, true);
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`expected exactly one APP, got ${positionals.length}`);
    const name = positionals[0];
    const json = jsonOutput(values);
    const timeoutMs = parseDuration('timeout', values.timeout, 10 * 60_000);
    return runOps('resume', () =>
      withBackend(values, async (backend) => {
        const [registry, states] = await Promise.all([backend.registry(), backend.store.listTargets()]);
        const app = findApp(registry, states, name);
        const clusters = clustersOf(name, registry, states, values.cluster).filter((cluster) => app.destinations.some((destination) => destination.cluster === cluster));
        // Resolve first: a head that cannot be resolved leaves the holds in place.
        const head = await new RevisionResolver(backend.endpoints.env).resolve(app.source.repoURL, app.source.targetRevision);
        const requests: SyncRequest[] = [];
        const lifted: Array<{ cluster: string; pinnedRevision?: string }> = [];
        for (const cluster of clusters) {
          const pin = await resumeTarget(backend, { app: name, cluster });
          lifted.push({ cluster, pinnedRevision: pin });
          if (!json) process.stderr.write(`${name}@${cluster}: resumed${pin ? ` (was pinned to ${shortSha(pin)})` : ''}; syncing ${app.source.targetRevision} at ${shortSha(head)}\n`);
          requests.push(await requestTargetSync(backend, { app: name, cluster }, head, 'manual', app.source.targetRevision));
        }
        return finishRequests(backend, requests, { wait: values.wait === true, json, timeoutMs, app: name, extra: { resumed: lifted } });
      }),
    );
  },
};
