// `driftless sync -f PATH`: render and sync one app folder to the cluster of a kubeconfig.
import { isBadInput } from '../../shared/errors/bad-input.ts';
import type { ObjectChange } from '../../shared/sync/changeset.ts';
import { sync } from '../../shared/sync/sync.ts';
import { renderRequestFrom } from '../app-flags.ts';
import type { Command } from '../main.ts';
import { palette, table } from '../ops/output.ts';
import { parseDuration, parseFlags, parseInteger } from '../options.ts';
import { prepare } from '../prepare.ts';
import { ConfigMapInventoryStore } from '../sync/inventory-configmap.ts';
import { folderSyncFlags } from './sync-form.ts';

export const syncFolderHelp = `Usage: driftless sync -f PATH --name APP --namespace NS [--kubeconfig F] [--context C]
                      [--prune] [--allow-empty] [--create-namespace] [--dry-run] [--timeout 5m]
                      [--concurrency N] [--output json] [--helm-values F ...] [--set k=v ...]
                      [--release-name R] [--recurse]

Renders the app in the folder PATH (-f/--filename, as kubectl apply -f takes one) and syncs
it: server-side apply by phase and wave, waiting for each wave to be healthy, then (with
--prune) deleting what left Git and carries this app's tracking id. The inventory of what was
applied is kept in the cluster, in the ConfigMap driftless-inventory-APP of the app's namespace.
PATH is rendered as part of its git work tree (or on its own outside git): Helm value files
and Kustomize bases may come from anywhere in that repository, and no symlink in it may point
out of it.

  --timeout D       how long the sync may wait for health: 30s, 5m, 1h30m, or a bare number
                    of seconds, as in the config files (default 5m)
  --concurrency N   objects applied at once within a wave, 1 or more (default 16)

The older spelling driftless sync PATH --name APP ... still works, with a notice on stderr.
Exit 0 when synced and healthy, 1 when synced but not healthy or some object failed,
2 on bad input (nothing applied).
`;

export const syncFolderCommand: Command = {
  async run(args) {
    const { values, positionals } = parseFlags(args, folderSyncFlags, true);
    if (values.help) {
      process.stdout.write(syncFolderHelp);
      return 0;
    }
    const request = await renderRequestFrom(positionals, values, true);
    const timeoutMs = parseDuration('timeout', values.timeout, 5 * 60_000);
    const concurrency = values.concurrency === undefined ? undefined : parseInteger('concurrency', values.concurrency, 0, 1);
    const json = values.output === 'json';
    try {
      const { client, discovery, objects } = await prepare(request, { kubeconfig: values.kubeconfig, context: values.context });
      try {
        const store = new ConfigMapInventoryStore(client, request.destinationNamespace);
        const previous = await store.load(request.appName);
        const showProgress = !json && process.stderr.isTTY;
        const result = await sync({
          app: request.appName,
          objects,
          client,
          discovery,
          previous,
          options: {
            prune: values.prune,
            allowEmpty: values['allow-empty'],
            dryRun: values['dry-run'],
            timeoutMs,
            createNamespace: values['create-namespace'] ? request.destinationNamespace : undefined,
            concurrency,
          },
          onStep: showProgress
            ? (event) =>
                process.stderr.write(
                  event.state === 'started' ? `${event.phase} wave ${event.wave}: ${event.objects} objects...\n` : `${event.phase} wave ${event.wave}: done\n`,
                )
            : undefined,
        });
        if (!result.dryRun && result.inventory && JSON.stringify(result.inventory.entries) !== JSON.stringify(previous?.entries)) {
          await store.save({ ...result.inventory, app: request.appName });
        }
        if (json) process.stdout.write(`${JSON.stringify({ ...result, inventory: undefined }, null, 2)}\n`);
        else
          process.stdout.write(
            `${formatChanges(result.objects)}${result.status === 'Succeeded' ? 'Synced' : 'Sync failed'}, ${result.health}: ${result.message}\n`,
          );
        return result.status === 'Succeeded' && result.health === 'Healthy' ? 0 : 1;
      } finally {
        client.close();
      }
    } catch (error) {
      // Your input is wrong, nothing was applied (the worker's mark; a missing helm is not one).
      if (isBadInput(error)) {
        process.stderr.write(`driftless sync: ${(error as Error).message}\nNothing was applied.\n`);
        return 2;
      }
      throw error;
    }
  },
};

/** The change set as a table, without colour. */
function formatChanges(changes: ObjectChange[]): string {
  const rows = changes.map((change) => [
    change.phase ?? '',
    change.wave === undefined ? '' : String(change.wave),
    change.object,
    change.action,
    change.health ?? '',
    change.message ?? '',
  ]);
  return table(['PHASE', 'WAVE', 'OBJECT', 'RESULT', 'HEALTH', 'MESSAGE'], rows, palette(false));
}
