// Keeps rendering inside the checked-out tree: the app path may not climb out of it, and, as
// Argo CD's out-of-bounds symlink check does, no symlink in the tree may point outside it,
// because helm and kustomize would follow such a link and read files from the worker.
import { realpathSync, statSync } from 'node:fs';
import { readdir, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { checkTreeOnce } from '../source/read-only-trees.ts';
import { SourcePathError } from './errors.ts';

export interface AppLocation {
  /** Real path of the tree. */
  root: string;
  /** Real path of the app folder. */
  dir: string;
  /** The app folder relative to the root, with `/`; `''` for the root itself. */
  path: string;
}

export async function resolveAppPath(root: string, path: string): Promise<AppLocation> {
  // Synchronous, as isFile is: three answers of the local file system, microseconds each.
  const realRoot = realPathOf(root, (error) => new SourcePathError(`the source tree ${root} does not exist`, { cause: error }));
  // An absolute app path is read as relative to the tree, as Argo CD joins it onto the repo.
  const lexical = resolve(realRoot, '.' + sep + path);
  if (!isInside(lexical, realRoot)) {
    throw new SourcePathError(`app path "${path}" escapes the repository root; use a path inside the repository`);
  }
  const relPath = toPosix(relative(realRoot, lexical));
  const dir = realPathOf(lexical, (error) => new SourcePathError(`app path "${path}" does not exist in the repository`, { cause: error }));
  if (!isInside(dir, realRoot)) {
    throw new SourcePathError(`app path "${path}" goes through a symlink to ${dir}, outside the repository root; use a path inside the repository`);
  }
  if (!statSync(dir).isDirectory()) {
    throw new SourcePathError(`app path "${path}" is a file; it must be a folder`);
  }
  return { root: realRoot, dir, path: relPath };
}

function realPathOf(path: string, failure: (error: unknown) => Error): string {
  try {
    return realpathSync.native(path);
  } catch (error) {
    throw failure(error);
  }
}

/**
 * Fails on the first symlink under `root` whose target lies outside `root`. Only the tree's
 * own `.git` is skipped (git's internals, never rendered): a `.git` anywhere deeper is content
 * like any other, and a link hidden under that name would otherwise go unchecked.
 */
export async function assertNoEscapingSymlinks(root: string): Promise<void> {
  // A fetched commit's tree is walked once, however many apps render from it.
  return checkTreeOnce(root, () => walkForEscapingSymlinks(root));
}

async function walkForEscapingSymlinks(root: string): Promise<void> {
  const pending = [root];
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (folder === root && entry.name === '.git' && entry.isDirectory()) continue;
      const full = join(folder, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isSymbolicLink()) await assertSymlinkInside(full, root);
    }
  }
}

async function assertSymlinkInside(link: string, root: string): Promise<void> {
  let target: string;
  try {
    target = await realpath(link);
  } catch {
    // A dangling link cannot leak anything yet, but its text still must not point out.
    target = resolve(dirname(link), await readlink(link));
  }
  if (!isInside(target, root)) {
    throw new SourcePathError(
      `the repository contains a symlink pointing outside it: ${toPosix(relative(root, link))} → ${target}; remove it or point it inside the repository`,
    );
  }
}

export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel));
}

export function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** Joins repository-relative parts with `/`, so an app at the root yields `deploy.yaml`, not `./deploy.yaml`. */
export function repoPath(...parts: string[]): string {
  return posix.join(...parts.filter((part) => part !== ''));
}

/**
 * Synchronous on purpose: a stat of the local tree answers in microseconds, where the thread
 * pool's round trip and the error built for a missing file cost ten times that, and a render
 * asks for several files that are usually not there (kustomization.yaml, Chart.yaml, ...).
 */
export async function isFile(path: string): Promise<boolean> {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** Rewrites absolute paths under any of `roots` in a tool's message to repository-relative ones. */
export function withRepoPaths(message: string, roots: readonly string[]): string {
  return roots.reduce((text, root) => text.replaceAll(root + sep, '').replaceAll(root, '.'), message);
}
