// `driftless resume APP`: lift a suspension or a rollback's pin and sync the branch head.
import { destinationsOf, findApp } from '../../shared/operations/lookup.ts';
import type { SyncRequest } from '../../shared/operations/request.ts';
import { resumeAndSync } from '../../shared/operations/resume.ts';
import { RevisionResolver } from '../../shared/operations/revision.ts';
import { targetId } from '../../shared/queue/job.ts';
import { oneAppCommand, BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { finishRequests, waitOptions } from '../ops/finish.ts';
import { clusterFlag, WAIT_HELP, waitFlags } from '../ops/flags.ts';
import { shortSha } from '../ops/output.ts';

const help = `Usage: driftless resume APP [--cluster C] [--wait] [--timeout 10m] [--output json]

Restarts automated sync of APP on each of its clusters (or on C) after driftless suspend or
driftless rollback: lifts the suspension and the pin, then syncs the head of the branch the
app tracks, so the target catches up with Git. With --wait, follows that sync to its end.

Exit 0 when resumed (with --wait: synced and Healthy), 1 when with --wait the sync failed or is
not Healthy.
${WAIT_HELP}${BACKEND_HELP}`;

export const resumeCommand = oneAppCommand(help, { cluster: clusterFlag, ...waitFlags }, async (name, values) => {
  const json = jsonOutput(values);
  const wait = waitOptions(values);
  return onBackend('resume', values, async (backend) => {
    const { registry, states } = await backend.fleet();
    const app = findApp(registry, states, name);
    const clusters = destinationsOf(app, registry, states, values.cluster);
    // Resolve first: a head that cannot be resolved leaves the holds in place.
    const head = await new RevisionResolver(backend.endpoints.env).head(app.source);
    const requests: SyncRequest[] = [];
    const lifted: Array<{ cluster: string; pinnedRevision?: string }> = [];
    for (const cluster of clusters) {
      const pin = states.find((state) => state.app === name && state.cluster === cluster)?.pinnedRevision;
      const request = await resumeAndSync(backend, { app: name, cluster }, head, app.source.targetRevision);
      lifted.push({ cluster, pinnedRevision: pin });
      if (!json)
        process.stderr.write(
          `${targetId(name, cluster)}: resumed${pin ? ` (was pinned to ${shortSha(pin)})` : ''}; syncing ${app.source.targetRevision} at ${shortSha(head)}\n`,
        );
      requests.push(request);
    }
    return finishRequests(backend, requests, { ...wait, json, app: name, extra: { resumed: lifted } });
  });
});
