// Names a render by everything that decides its output: the commit, the repository, the path
// and the source options (Helm values, Kustomize edits, directory globs, and whatever
// cluster-dependent inputs such as kubeVersion or apiVersions were passed to the renderer:
// the caller puts those into `sourceOptions`, so two clusters share a render only when they
// would have rendered the same).
import { createHash } from 'node:crypto';
import { InvalidRenderKeyError } from './errors.ts';

export interface RenderKeyInput {
  repoURL: string;
  /** Commit sha. */
  revision: string;
  path: string;
  sourceOptions?: unknown;
}

/** Bump when what put() stores changes shape, so old entries are not read as new ones. */
const FORMAT = 1;
const COMMIT_SHA = /^[0-9a-f]{7,64}$/i;

export function renderKey(input: RenderKeyInput): string {
  if (!COMMIT_SHA.test(input.revision)) throw new InvalidRenderKeyError(input.revision);
  const identity = canonicalJson({
    format: FORMAT,
    repoURL: normalizeRepoURL(input.repoURL),
    path: normalizePath(input.path),
    sourceOptions: input.sourceOptions ?? null,
  });
  const hash = createHash('sha256').update(identity).digest('hex');
  return `renders/${input.revision.toLowerCase()}/${hash}.json.gz`;
}

/** `https://github.com/acme/apps.git/` and `https://github.com/acme/apps` are one repository. */
function normalizeRepoURL(url: string): string {
  return url
    .trim()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

/** `./apps/web/`, `apps/web` and `apps//web` are one path; the root is `.`. */
function normalizePath(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  return parts.length === 0 ? '.' : parts.join('/');
}

/** JSON with object keys sorted at every level; undefined members are left out as JSON does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) => {
    if (member === null || typeof member !== 'object' || Array.isArray(member)) return member;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(member).sort()) sorted[key] = (member as Record<string, unknown>)[key];
    return sorted;
  });
}
