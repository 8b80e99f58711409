// The two forms of `driftless sync`, their flags, and which one a command line is:
//   driftless sync APP [--cluster C] [--revision REV] [--wait]   a registered app, through the queue
//   driftless sync -f PATH --name APP --namespace NS ...         a folder, straight to a kubeconfig's cluster
// `-f/--filename` is kubectl's (`kubectl apply -f DIR`); Argo CD's `--local` already means local
// mode here. The folder form from before -f, `driftless sync PATH --name APP ...`, still works.
import { sep } from 'node:path';
import { appFlags, clusterFlags } from '../app-flags.ts';
import { UsageError } from '../errors.ts';
import { backendFlags, clusterFlag, waitFlags } from '../ops/flags.ts';
import { parseFlags } from '../options.ts';

export const folderSyncFlags = {
  ...appFlags,
  ...clusterFlags,
  prune: { type: 'boolean' },
  'allow-empty': { type: 'boolean' },
  'create-namespace': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  timeout: { type: 'string' },
  output: { type: 'string', short: 'o' },
  concurrency: { type: 'string' },
} as const;

/** Beside the backend's flags, which every operating command takes. */
export const appSyncFlags = { cluster: clusterFlag, revision: { type: 'string', short: 'r' }, ...waitFlags } as const;

/** `folder-without-f` is the old folder spelling: synced as a folder, with a notice. */
export type SyncForm = 'app' | 'folder' | 'folder-without-f';

/** Flags only a folder sync has: given without -f, they mean the old folder spelling. */
const FOLDER_ONLY = Object.keys(folderSyncFlags).filter((flag) => flag !== 'filename' && !(flag in backendFlags) && !(flag in appSyncFlags));
/** Flags only an app sync has: given with -f, they are a mistake worth naming. */
const APP_ONLY = Object.keys({ ...backendFlags, ...appSyncFlags }).filter((flag) => !(flag in folderSyncFlags));

/**
 * -f PATH is a folder sync; otherwise the one positional is a registered app, unless the
 * command line is the old folder spelling: a folder-only flag (--name, --namespace,
 * --kubeconfig, --prune, ...) or a positional that is a path (an app name has no slash).
 */
export function syncForm(args: string[]): SyncForm {
  const { values, positionals } = parseFlags(args, { ...backendFlags, ...appSyncFlags, ...folderSyncFlags }, true);
  const given = values as Record<string, unknown>;
  if (values.filename !== undefined) {
    const misplaced = APP_ONLY.filter((flag) => given[flag] !== undefined);
    if (misplaced.length > 0) {
      throw new UsageError(
        `${misplaced.map((flag) => `--${flag}`).join(', ')} ${misplaced.length === 1 ? 'belongs' : 'belong'} to sync APP (a registered app); sync -f PATH applies the folder to the cluster of --kubeconfig / --context`,
      );
    }
    return 'folder';
  }
  if (positionals.length === 0) throw new UsageError('expected APP (a registered app) or -f PATH (an app folder)');
  if (FOLDER_ONLY.some((flag) => given[flag] !== undefined) || looksLikePath(positionals[0])) return 'folder-without-f';
  return 'app';
}

function looksLikePath(arg: string): boolean {
  return arg.includes('/') || arg.includes(sep) || arg === '.' || arg === '..';
}

/** The one line the old folder spelling prints on stderr: the form to use instead. */
export const OLD_FOLDER_NOTICE =
  'driftless sync: give the folder as -f PATH (driftless sync -f PATH --name APP --namespace NS); without -f, sync takes a registered app\n';
