// What git generators read from a repository at a revision: its folders, and the files whose
// path matches a pattern. Behind a small interface so generation stays a plain function; the
// adapter reads the worker's fetched trees (SourceFetcher), fetching each repo@revision once
// per generation however many generators, matrix elements or patterns ask for it.
//
// Everything from Git is hostile: a pattern must be repository-relative (no leading `/`, no
// `..`), a tree holding a symlink that points out of it is refused before anything is read,
// a file read must resolve inside the tree, and one file may hold at most MAX_GIT_FILE_BYTES.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assertNoEscapingSymlinks, isInside } from '../render/paths.ts';
import type { SourceFetcher, FetchedSource } from '../source/fetcher.ts';
import { matchesArgoGlob } from '../render/glob.ts';
import { AppSetInputError } from './errors.ts';

export interface GitFile {
  /** Repository-relative, `/`-separated. */
  path: string;
  content: string;
}

export interface GitFiles {
  /**
   * Every folder of the tree, repository-relative, as Argo CD's repo server lists them for the
   * directory generator: recursively, skipping folders whose name starts with `.` (and all
   * under them), never following a symlink.
   */
  directories(repoURL: string, revision: string): Promise<string[]>;
  /**
   * Files whose path matches `pattern` as Argo CD's default file globbing (`git ls-files` with
   * the pattern as a pathspec: `*` also crosses `/`), with their contents.
   */
  files(repoURL: string, revision: string, pattern: string): Promise<GitFile[]>;
}

export interface DisposableGitFiles extends GitFiles {
  /** Releases every fetched tree. */
  dispose(): Promise<void>;
}

/** 1 MiB: parameter files are a few lines; a bigger one is a mistake or an attack on memory. */
export const MAX_GIT_FILE_BYTES = 1024 * 1024;

/** 64 MiB: all the files one generation (one adapter) may read, so many small files cannot add up to the worker's memory. */
export const MAX_GIT_TOTAL_BYTES = 64 * 1024 * 1024;

/** Refuses a pattern that could name something outside the repository. */
export function assertRepositoryPattern(pattern: string): void {
  if (pattern.startsWith('/') || pattern.split('/').includes('..')) {
    throw new AppSetInputError(`path "${pattern}" must stay inside the repository: write it relative to the repository root, without ".."`);
  }
}

interface Tree {
  source: FetchedSource;
  root: string;
  listing: Promise<{ directories: string[]; files: string[] }>;
  contents: Map<string, Promise<string>>;
}

export function gitFilesFromFetcher(fetcher: SourceFetcher, options: { maxTotalBytes?: number } = {}): DisposableGitFiles {
  const trees = new Map<string, Promise<Tree>>();
  const maxTotalBytes = options.maxTotalBytes ?? MAX_GIT_TOTAL_BYTES;
  const budget = { left: maxTotalBytes, max: maxTotalBytes };

  const tree = (repoURL: string, revision: string): Promise<Tree> => {
    const key = JSON.stringify([repoURL, revision]);
    let found = trees.get(key);
    if (!found) {
      found = (async () => {
        const source = await fetcher.fetch({ repoURL, revision });
        const root = await realpath(source.root);
        return { source, root, listing: assertNoEscapingSymlinks(root).then(() => list(root)), contents: new Map() };
      })();
      trees.set(key, found);
    }
    return found;
  };

  return {
    async directories(repoURL, revision) {
      return (await (await tree(repoURL, revision)).listing).directories;
    },
    async files(repoURL, revision, pattern) {
      assertRepositoryPattern(pattern);
      const found = await tree(repoURL, revision);
      const { files } = await found.listing;
      const matching = files.filter((path) => matchesPathspec(pattern, path));
      return Promise.all(matching.map(async (path) => ({ path, content: await read(found, path, budget) })));
    },
    async dispose() {
      const all = [...trees.values()];
      trees.clear();
      await Promise.all(all.map(async (pending) => (await pending.catch(() => undefined))?.source.dispose()));
    },
  };
}

// git's pathspec: a wildcard pattern matched against the whole path, `*` crossing `/`; a
// pattern without wildcards names a file, or a folder and everything under it.
function matchesPathspec(pattern: string, path: string): boolean {
  if (!/[*?[]/.test(pattern)) return path === pattern || path.startsWith(pattern.replace(/\/+$/, '') + '/');
  return matchesArgoGlob(pattern, path);
}

async function list(root: string): Promise<{ directories: string[]; files: string[] }> {
  const directories: string[] = [];
  const files: string[] = [];
  const walk = async (folder: string, relative: string, hidden: boolean): Promise<void> => {
    // Depth first, each folder's entries in name order: filepath.Walk's order, which is the
    // order Argo CD's repo server lists them in.
    const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (relative === '' && entry.name === '.git' && entry.isDirectory()) continue;
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        const hiddenHere = hidden || entry.name.startsWith('.');
        if (!hiddenHere) directories.push(path);
        await walk(join(folder, entry.name), path, hiddenHere);
      } else {
        // Files in hidden folders and symlinks too: git ls-files lists every tracked path.
        files.push(path);
      }
    }
  };
  await walk(root, '', false);
  return { directories, files };
}

function read(tree: Tree, path: string, budget: { left: number; max: number }): Promise<string> {
  let pending = tree.contents.get(path);
  if (!pending) {
    pending = (async () => {
      const full = await realpath(join(tree.root, path));
      if (!isInside(full, tree.root)) throw new AppSetInputError(`${path} resolves outside the repository`);
      const info = await stat(full);
      if (!info.isFile()) throw new AppSetInputError(`${path} is not a file`);
      if (info.size > MAX_GIT_FILE_BYTES) {
        throw new AppSetInputError(`${path} is ${info.size} bytes, more than the ${MAX_GIT_FILE_BYTES / 1024} KiB a git generator reads from one file`);
      }
      budget.left -= info.size;
      if (budget.left < 0) {
        throw new AppSetInputError(`git generators would read more than ${budget.max} bytes of files in one generation (at ${path}); narrow the path patterns`);
      }
      return readFile(full, 'utf8');
    })();
    tree.contents.set(path, pending);
  }
  return pending;
}
