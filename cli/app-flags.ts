// The flags `render`, `sync` and `diff` share: where the app is and how to render it.
import { realpath, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { workTreeRoot } from '../shared/github/rev-parse.ts';
import type { RenderRequest } from '../shared/render/types.ts';
import { UsageError } from './errors.ts';

export const appFlags = {
  /** The app's folder, as kubectl's `apply -f` / `diff -f` take theirs. */
  filename: { type: 'string', short: 'f' },
  name: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  'helm-values': { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
  'release-name': { type: 'string' },
  recurse: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const clusterFlags = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const;

export interface AppFlagValues {
  filename?: string;
  name?: string;
  namespace?: string;
  'helm-values'?: string[];
  set?: string[];
  'release-name'?: string;
  recurse?: boolean;
}

/**
 * The render request for `driftless <command> -f PATH ...` (or the positional PATH). The tree
 * is the git work tree PATH is in, or PATH itself outside git: it is what the symlink check
 * walks and what Helm value files and Kustomize bases may reach, as the repository is for the
 * worker. Never the current directory, which may be a home folder.
 */
export async function renderRequestFrom(positionals: string[], values: AppFlagValues, requireName: boolean): Promise<RenderRequest> {
  const dir = await appFolder(folderArgument(positionals, values));
  const name = values.name ?? (requireName ? undefined : 'app');
  if (!name) throw new UsageError('--name APP is required: it names the app in tracking annotations and the inventory');
  const namespace = values.namespace ?? (requireName ? undefined : 'default');
  if (!namespace) throw new UsageError('--namespace NS is required: namespaced objects without one go there');
  const parameters = (values.set ?? []).map((assignment) => {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new UsageError(`--set expects key=value, got "${assignment}"`);
    return { name: assignment.slice(0, equals), value: assignment.slice(equals + 1) };
  });
  const helmGiven = (values['helm-values']?.length ?? 0) > 0 || parameters.length > 0 || values['release-name'] !== undefined;
  const root = await realpath((await workTreeRoot(dir)) ?? dir);
  const valueFiles = helmGiven ? await Promise.all((values['helm-values'] ?? []).map(async (file) => relative(dir, await realOrResolved(file)))) : undefined;
  return {
    root,
    path: relative(root, dir) || '.',
    appName: name,
    destinationNamespace: namespace,
    helm: helmGiven ? { valueFiles, parameters, releaseName: values['release-name'] } : undefined,
    directory: values.recurse ? { recurse: true } : undefined,
  };
}

/** The folder argument: `-f PATH`, or the one positional PATH. */
function folderArgument(positionals: string[], values: AppFlagValues): string {
  if (values.filename !== undefined) {
    if (positionals.length > 0) throw new UsageError(`give the folder once, as -f PATH; unexpected ${positionals.map((arg) => `"${arg}"`).join(', ')}`);
    return values.filename;
  }
  if (positionals.length !== 1)
    throw new UsageError(`expected one folder (-f PATH), got ${positionals.length === 0 ? 'none' : `${positionals.length}: ${positionals.join(' ')}`}`);
  return positionals[0];
}

/** The real path of the app's folder, so it compares with git's real path of the tree. */
async function appFolder(path: string): Promise<string> {
  const dir = await realpath(path).catch((error: unknown) => {
    throw new UsageError(`the folder ${path} does not exist`, { cause: error });
  });
  if (!(await stat(dir)).isDirectory()) throw new UsageError(`${path} is a file: give the app's folder`);
  return dir;
}

/** A value file's real path when it exists; a missing one keeps its name for render's error. */
async function realOrResolved(file: string): Promise<string> {
  return realpath(file).catch(() => resolve(file));
}
