// `driftless sync APP`: request a sync of a registered app now (what Argo CD's "Sync" button
// and `flux reconcile` do), optionally following it to the end. `driftless sync PATH` (a
// local folder) is sync.ts, which hands app names over to this file.
import type { AppSpec } from '../../shared/config/types.ts';
import { UsageError } from '../errors.ts';
import type { Command } from '../main.ts';
import { backendFlags, BACKEND_HELP, jsonOutput, runOps, withBackend } from '../ops/command.ts';
import { NotFoundError, RefusedError } from '../ops/errors.ts';
import { finishRequests } from '../ops/finish.ts';
import { clustersOf, findApp } from '../ops/lookup.ts';
import { shortSha } from '../ops/output.ts';
import { requestTargetSync, type SyncRequest } from '../ops/request.ts';
import { RevisionResolver } from '../ops/revision.ts';
import { parseDuration } from '../app-flags.ts';
import { parseFlags } from '../options.ts';

export const syncAppHelp = `Usage: driftless sync APP [--cluster C] [--revision REV] [--wait] [--timeout 10m] [--output json]
       driftless sync PATH --name APP --namespace NS ...   (a local folder: driftless sync PATH --help)

Requests a sync of the registered app APP on each of its clusters (or on C) now, through the
same queue and worker as a push. The revision is REV (branch, tag or sha) when given, else
the head of the branch the app tracks (its targetRevision). A target pinned by a rollback
syncs its pinned commit (move the pin with driftless rollback, lift it with driftless resume).
With --wait, follows the sync to its end and exits with its result.

Exit 0 when requested (with --wait: synced and Healthy), 1 when with --wait the sync failed,
is not Healthy or gave no result within --timeout.
${BACKEND_HELP}`;

export const syncAppFlags = {
  ...backendFlags,
  cluster: { type: 'string', short: 'c' },
  revision: { type: 'string', short: 'r' },
  wait: { type: 'boolean', short: 'w' },
  timeout: { type: 'string' },
} as const;

export const syncAppCommand: Command = {
  name: 'sync',
  summary: 'request a sync of a registered app now, optionally waiting for its result',
  async run(args) {
    const { values, positionals } = parseFlags(args, syncAppFlags, true);
    if (values.help) {
      process.stdout.write(syncAppHelp);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`expected exactly one APP, got ${positionals.length}`);
    const name = positionals[0];
    const json = jsonOutput(values);
    const timeoutMs = parseDuration('timeout', values.timeout, 10 * 60_000);
    return runOps('sync', () =>
      withBackend(values, async (backend) => {
        const [registry, states] = await Promise.all([backend.registry(), backend.store.listTargets()]);
        const app = findApp(registry, states, name);
        const clusters = clustersOf(name, registry, states, values.cluster).filter((cluster) => app.destinations.some((destination) => destination.cluster === cluster));
        const resolver = new RevisionResolver(backend.endpoints.env);
        const wanted = values.revision === undefined ? undefined : await resolver.resolve(app.source.repoURL, values.revision);
        const requests: SyncRequest[] = [];
        let head: Promise<string> | undefined;
        for (const cluster of clusters) {
          const state = await backend.store.getTarget(name, cluster);
          let revision: string;
          if (state?.pinnedRevision) {
            if (wanted && wanted !== state.pinnedRevision) {
              throw new RefusedError(`${name}@${cluster} is pinned to ${shortSha(state.pinnedRevision)} by a rollback: move the pin with driftless rollback ${name} --to ${values.revision}, or lift it with driftless resume ${name}`);
            }
            revision = state.pinnedRevision;
          } else if (wanted) {
            revision = wanted;
          } else {
            head ??= branchHead(resolver, app);
            revision = await head.catch((error: unknown) => {
              if (error instanceof NotFoundError || !state?.requestedRevision) throw error;
              process.stderr.write(`driftless sync: cannot resolve ${app.source.targetRevision} of ${app.source.repoURL} (${(error as Error).message.split('\n')[0]}); syncing the last requested ${shortSha(state.requestedRevision)}\n`);
              return state.requestedRevision;
            });
          }
          requests.push(await requestTargetSync(backend, { app: name, cluster }, revision, 'manual', values.revision ?? app.source.targetRevision));
        }
        return finishRequests(backend, requests, { wait: values.wait === true, json, timeoutMs, app: name });
      }),
    );
  },
};

/** The commit the app's targetRevision names now (a sha names itself). */
export function branchHead(resolver: RevisionResolver, app: AppSpec): Promise<string> {
  return resolver.resolve(app.source.repoURL, app.source.targetRevision);
}
