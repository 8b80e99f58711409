// What a set's git generators read, so a push there re-evaluates the set. Generation records
// every repository and revision its git generators read (through a GitFiles that notes each
// call) and the folders under which a change can change what they find: a files pattern's
// folder before its first wildcard, each directories pattern's likewise (the patterns written in
// the set: the directories listing itself names none). A pattern with a template expression in
// it could be anywhere: the whole repository. The set keeps them (ApplicationSetSpec.watches),
// the push index files them under the repository and branch they follow, and the webhook asks
// setsToReevaluate of each push: one Query, as for apps (shared/state/push-index.ts).
import { tracksBranch } from '../config/match.ts';
import { repoKey, sameRepo } from '../config/repo-url.ts';
import type { Registry } from '../config/types.ts';
import type { GitFiles } from './git-files.ts';
import type { ApplicationSetSpec, SetWatch } from './types.ts';

/** `git` noting what `set` reads; `watches()` is what it read, merged per repository and revision. */
export function recordingGitFiles(git: GitFiles, set: Pick<ApplicationSetSpec, 'generators'>): { git: GitFiles; watches(): SetWatch[] } {
  const found = new Map<string, SetWatch>();
  const note = (repoURL: string, revision: string, paths: string[]) => {
    const key = JSON.stringify([repoKey(repoURL), revision]);
    const watch = found.get(key) ?? { repoURL, revision, paths: [] };
    watch.paths = mergePaths(watch.paths, paths);
    found.set(key, watch);
  };
  return {
    git: {
      directories(repoURL, revision) {
        note(repoURL, revision, directoryPatterns(set.generators).map(folderOf));
        return git.directories(repoURL, revision);
      },
      files(repoURL, revision, pattern) {
        note(repoURL, revision, [folderOf(pattern)]);
        return git.files(repoURL, revision, pattern);
      },
    },
    watches: () => [...found.values()].map((watch) => ({ ...watch, paths: [...watch.paths].sort() })),
  };
}

/** The sets whose git generators read what a push to `branch` of `repoURL` changed. */
export function setsToReevaluate(
  registry: Pick<Registry, 'applicationSets'>,
  push: { repoURL: string; branch: string; changedFiles: string[] | 'all'; defaultBranch?: string },
): string[] {
  return (registry.applicationSets ?? [])
    .filter((set) =>
      (set.watches ?? []).some(
        (watch) =>
          sameRepo(watch.repoURL, push.repoURL) &&
          tracksBranch(watch.revision, push.branch, push.defaultBranch) &&
          (push.changedFiles === 'all' || push.changedFiles.some((file) => watch.paths.some((path) => inside(file, path)))),
      ),
    )
    .map((set) => set.name);
}

function inside(file: string, folder: string): boolean {
  return folder === '' || file === folder || file.startsWith(`${folder}/`);
}

/** The segments of a pattern before the first one with a wildcard or template expression; '' for the whole repository. */
function folderOf(pattern: string): string {
  if (pattern.includes('{{')) return '';
  const segments = pattern.replace(/^\.\//, '').split('/');
  const literal: string[] = [];
  for (const segment of segments) {
    if (/[*?[\]{}]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.join('/').replace(/\/+$/, '');
}

/** Every `git.directories[].path` among the generators, nested ones (matrix, merge) included. */
function directoryPatterns(generators: unknown[]): string[] {
  const patterns: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const git = (value as { git?: { directories?: Array<{ path?: unknown }> } }).git;
    for (const entry of git?.directories ?? []) if (typeof entry?.path === 'string') patterns.push(entry.path);
    for (const child of Object.values(value)) visit(child);
  };
  visit(generators);
  // No pattern found (none written, or one this walk misses): the whole repository.
  return patterns.length > 0 ? patterns : [''];
}

/** A union of folders, a folder inside another dropped; '' (everything) absorbs the rest. */
function mergePaths(a: string[], b: string[]): string[] {
  const all = [...new Set([...a, ...b])];
  if (all.includes('')) return [''];
  return all.filter((path) => !all.some((other) => other !== path && inside(path, other)));
}
