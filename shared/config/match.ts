// Push matching, as the webhook needs it: which app × cluster targets a push to a branch
// touches. Pure and cheap: the webhook has GitHub's 10 seconds and reads nothing but the
// registry it was given.
import { isUnder, normaliseRepoPath } from './paths.ts';
import { sameRepo } from './repo-url.ts';
import type { AppSpec, Registry } from './types.ts';

export interface PushChange {
  /** clone_url or html_url of the pushed repository. */
  repoURL: string;
  branch: string;
  headSha: string;
  /** 'all' when the payload cannot tell (new or force-pushed branch, truncated lists). */
  changedFiles: string[] | 'all';
  /** The repository's default branch, which `HEAD` stands for; unknown means `main` or `master`. */
  defaultBranch?: string;
}

export interface Target {
  app: string;
  cluster: string;
  namespace: string;
}

// GitHub lists at most 2048 commits in a push payload, and about 3000 files per commit.
const MAX_LISTED_COMMITS = 2048;
const MAX_LISTED_FILES = 3000;
const GUESSED_DEFAULT_BRANCHES = ['main', 'master'];

export function matchPush(registry: Registry, push: PushChange): Target[] {
  const targets: Target[] = [];
  for (const app of registry.apps) {
    if (!sameRepo(app.source.repoURL, push.repoURL)) continue;
    if (!tracksBranch(app.source.targetRevision, push.branch, push.defaultBranch)) continue;
    if (!touchesAny(push.changedFiles, watchedPaths(app))) continue;
    for (const destination of app.destinations) targets.push({ app: app.name, cluster: destination.cluster, namespace: destination.namespace });
  }
  return targets;
}

/** A tag or a sha never follows a branch: only the branch's name, its ref, or HEAD on the default branch. */
export function tracksBranch(targetRevision: string, branch: string, defaultBranch?: string): boolean {
  const revision = targetRevision.trim();
  if (revision === branch || revision === `refs/heads/${branch}`) return true;
  if (revision !== '' && revision !== 'HEAD') return false;
  return defaultBranch === undefined ? GUESSED_DEFAULT_BRANCHES.includes(branch) : branch === defaultBranch;
}

/**
 * The app's folder, its extra paths, and Helm value files kept outside the folder (relative to
 * it, or to the root when absolute, as the renderer reads them): a change to any of them can
 * change what the app renders.
 */
export function watchedPaths(app: AppSpec): string[] {
  const paths = [app.source.path, ...(app.source.extraPaths ?? [])];
  for (const valueFile of app.source.helm?.valueFiles ?? []) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(valueFile)) continue;
    const inRepo = normaliseRepoPath(valueFile.startsWith('/') ? valueFile : `${app.source.path}/${valueFile}`);
    if (inRepo !== undefined && !paths.some((path) => isUnder(inRepo, path))) paths.push(inRepo);
  }
  return paths;
}

function touchesAny(changed: string[] | 'all', folders: string[]): boolean {
  if (changed === 'all') return true;
  return changed.some((file) => folders.some((folder) => isUnder(file, folder)));
}

/** Whether a push to the config repository touched the registry folder. */
export function configChanged(registryDir: string, changed: string[] | 'all'): boolean {
  return touchesAny(changed, [registryDir]);
}

export interface PushPayloadFiles {
  created?: boolean;
  forced?: boolean;
  deleted?: boolean;
  commits?: Array<{ added?: string[]; removed?: string[]; modified?: string[] }>;
  head_commit?: unknown;
}

/**
 * Every file the push added, removed or modified, or 'all' when the payload cannot be trusted
 * to list them: a new branch (its commits are not all listed), a force push (files may have
 * changed back to an older state), or lists GitHub cut short.
 */
export function changedFilesOf(payload: PushPayloadFiles): string[] | 'all' {
  if (payload.deleted) return [];
  if (payload.created || payload.forced) return 'all';
  const commits = payload.commits;
  if (!Array.isArray(commits)) return 'all';
  if (commits.length === 0) return payload.head_commit ? 'all' : [];
  if (commits.length >= MAX_LISTED_COMMITS) return 'all';
  const files = new Set<string>();
  for (const commit of commits) {
    const lists = [commit.added, commit.removed, commit.modified];
    if (lists.every((list) => list === undefined)) return 'all';
    const count = lists.reduce((sum, list) => sum + (list?.length ?? 0), 0);
    if (count >= MAX_LISTED_FILES) return 'all';
    for (const list of lists) for (const file of list ?? []) files.add(file);
  }
  return [...files].sort();
}
