// `driftless sync APP`: request a sync of a registered app now (what Argo CD's "Sync" button
// and `flux reconcile` do), optionally following it to the end. `driftless sync -f PATH` (a
// local folder) is sync-folder.ts; sync.ts chooses between the two.
import { destinationsOf, findApp } from '../../shared/operations/lookup.ts';
import { requestTargetSync, type SyncRequest } from '../../shared/operations/request.ts';
import { RevisionResolver } from '../../shared/operations/revision.ts';
import { syncRevision } from '../../shared/operations/sync.ts';
import { oneAppCommand, BACKEND_HELP, jsonOutput, onBackend } from '../ops/command.ts';
import { finishRequests, waitOptions } from '../ops/finish.ts';
import { WAIT_HELP } from '../ops/flags.ts';
import { shortSha } from '../ops/output.ts';
import { appSyncFlags } from './sync-form.ts';

export const syncAppHelp = `Usage: driftless sync APP [--cluster C] [--revision REV] [--wait] [--timeout 10m] [--output json]
       driftless sync -f PATH --name APP --namespace NS ...   (a local folder, below)

Requests a sync of the registered app APP on each of its clusters (or on C) now, through the
same queue and worker as a push. The revision is REV (branch, tag or sha) when given, else
the head of the branch the app tracks (its targetRevision). A target pinned by a rollback
syncs its pinned commit (move the pin with driftless rollback, lift it with driftless resume).
With --wait, follows the sync to its end and exits with its result.

Exit 0 when requested (with --wait: synced and Healthy), 1 when with --wait the sync failed,
is not Healthy or gave no result within --timeout.
${WAIT_HELP}${BACKEND_HELP}`;

export const syncAppCommand = oneAppCommand(syncAppHelp, appSyncFlags, async (name, values) => {
  const json = jsonOutput(values);
  const wait = waitOptions(values);
  return onBackend('sync', values, async (backend) => {
    const { registry, states } = await backend.fleet();
    const app = findApp(registry, states, name);
    const clusters = destinationsOf(app, registry, states, values.cluster);
    const resolver = new RevisionResolver(backend.endpoints.env);
    const wanted = values.revision === undefined ? undefined : await resolver.resolve(app.source.repoURL, values.revision);
    const requests: SyncRequest[] = [];
    let head: Promise<string> | undefined;
    for (const cluster of clusters) {
      const revision = await syncRevision(
        backend,
        { app: name, cluster },
        {
          wanted,
          wantedAs: values.revision,
          head: () => (head ??= resolver.head(app.source)),
          onHeadFallback: (error, fallback) =>
            process.stderr.write(
              `driftless sync: cannot resolve ${app.source.targetRevision} of ${app.source.repoURL} (${error.message.split('\n')[0]}); syncing the last requested ${shortSha(fallback)}\n`,
            ),
        },
      );
      requests.push(await requestTargetSync(backend, { app: name, cluster }, revision, 'manual', values.revision ?? app.source.targetRevision));
    }
    return finishRequests(backend, requests, { ...wait, json, app: name });
  });
});
