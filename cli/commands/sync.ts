// `driftless sync PATH`: render and sync one app to the cluster of a kubeconfig.
import { statSync } from 'node:fs';
import { sep } from 'node:path';
import { ConfigMapInventoryStore } from '../sync/inventory-configmap.ts';
import type { ObjectChange } from '../../shared/sync/changeset.ts';
import { sync } from '../../shared/sync/sync.ts';
import { appFlags, clusterFlags, renderRequestFrom } from '../app-flags.ts';
import type { Command } from '../main.ts';
import { palette, table } from '../ops/output.ts';
import { parseDuration, parseFlags } from '../options.ts';
import { isInputError, prepare } from '../prepare.ts';

const help = `Usage: driftless sync PATH --name APP --namespace NS [--kubeconfig F] [--context C]
                      [--prune] [--allow-empty] [--create-namespace] [--dry-run] [--timeout 5m]
                      [--output json] [--helm-values F ...] [--set k=v ...]

Renders the app in PATH and syncs it: server-side apply by phase and wave, waiting for each
wave to be healthy, then (with --prune) deleting what left Git and carries this app's
tracking id. The inventory of what was applied is kept in the cluster, in the ConfigMap
driftless-inventory-APP of the app's namespace.

Exit 0 when synced and healthy, 1 when synced but not healthy or some object failed,
2 on bad input (nothing applied).
`;

export const syncCommand: Command = {
  async run(args) {
    // `driftless sync APP` (a registered app, through the queue) lives in sync-app.ts.
    if (args.includes('--help') || args.includes('-h')) {
      const { syncAppHelp } = await import('./sync-app.ts');
      process.stdout.write(`${help}\n${syncAppHelp}`);
      return 0;
    }
    if (!isFolderSync(args)) return (await import('./sync-app.ts')).syncAppCommand.run(args);
    const { values, positionals } = parseFlags(
      args,
      {
        ...appFlags,
        ...clusterFlags,
        prune: { type: 'boolean' },
        'allow-empty': { type: 'boolean' },
        'create-namespace': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        timeout: { type: 'string' },
        output: { type: 'string', short: 'o' },
        concurrency: { type: 'string' },
      },
      true,
    );
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const request = renderRequestFrom(positionals, values, true);
    const timeoutMs = parseDuration('timeout', values.timeout, 5 * 60_000);
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
            concurrency: values.concurrency ? Number(values.concurrency) : undefined,
          },
          onStep: showProgress
            ? (event) => process.stderr.write(event.state === 'started' ? `${event.phase} wave ${event.wave}: ${event.objects} objects...\n` : `${event.phase} wave ${event.wave}: done\n`)
            : undefined,
        });
        if (!result.dryRun && result.inventory && JSON.stringify(result.inventory.entries) !== JSON.stringify(previous?.entries)) {
          await store.save({ ...result.inventory, app: request.appName });
        }
        if (json) process.stdout.write(`${JSON.stringify({ ...result, inventory: undefined }, null, 2)}\n`);
        else process.stdout.write(`${formatChanges(result.objects)}${result.status === 'Succeeded' ? 'Synced' : 'Sync failed'}, ${result.health}: ${result.message}\n`);
        return result.status === 'Succeeded' && result.health === 'Healthy' ? 0 : 1;
      } finally {
        client.close();
      }
    } catch (error) {
      if (isInputError(error)) {
        process.stderr.write(`driftless sync: ${(error as Error).message}\nNothing was applied.\n`);
        return 2;
      }
      throw error;
    }
  },
};

const FOLDER_FLAGS = /^(--name|--namespace|-n|--kubeconfig|--context|--helm-values|--set|--release-name|--recurse|--prune|--allow-empty|--create-namespace|--dry-run|--concurrency)(=|$)/;
const APP_FLAGS = /^(--cluster|-c|--revision|-r|--wait|-w|--local|--stack|--region)(=|$)/;

/**
 * Folder sync when a folder-only flag is given, or the first positional looks like a path
 * (holds a slash, is . or ..) or is an existing folder while no app-sync flag is given;
 * otherwise the positional names a registered app.
 */
function isFolderSync(args: string[]): boolean {
  if (args.some((arg) => FOLDER_FLAGS.test(arg))) return true;
  const first = args.find((arg, index) => !arg.startsWith('-') && !/^(--cluster|-c|--revision|-r|--timeout|--output|-o|--stack|--region)$/.test(args[index - 1] ?? ''));
  if (first === undefined) return true;
  if (first.includes('/') || first.includes(sep) || first === '.' || first === '..') return true;
  return !args.some((arg) => APP_FLAGS.test(arg)) && isDirectory(first);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The change set as a table, without colour. */
function formatChanges(changes: ObjectChange[]): string {
  const rows = changes.map((change) => [change.phase ?? '', change.wave === undefined ? '' : String(change.wave), change.object, change.action, change.health ?? '', change.message ?? '']);
  return table(['PHASE', 'WAVE', 'OBJECT', 'RESULT', 'HEALTH', 'MESSAGE'], rows, palette(false));
}
