// The flags `render`, `sync` and `diff` share: where the app is and how to render it.
import { relative, resolve, sep } from 'node:path';
import type { RenderRequest } from '../shared/render/types.ts';
import { UsageError } from './errors.ts';

export const appFlags = {
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
  name?: string;
  namespace?: string;
  'helm-values'?: string[];
  set?: string[];
  'release-name'?: string;
  recurse?: boolean;
}

/** The render request for `driftless <command> PATH ...`; the tree root is the current directory or PATH's parent. */
export function renderRequestFrom(positionals: string[], values: AppFlagValues, requireName: boolean): RenderRequest {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one PATH (the app's folder), got ${positionals.length}`);
  const path = resolve(positionals[0]);
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
  // The tree is the current directory when PATH is inside it, so value files beside the app resolve.
  const cwd = process.cwd();
  const root = path === cwd || path.startsWith(cwd + sep) ? cwd : path;
  return {
    root,
    path: relative(root, path) || '.',
    appName: name,
    destinationNamespace: namespace,
    helm: helmGiven ? { valueFiles: values['helm-values']?.map((file) => relative(path, resolve(file))), parameters, releaseName: values['release-name'] } : undefined,
    directory: values.recurse ? { recurse: true } : undefined,
  };
}
