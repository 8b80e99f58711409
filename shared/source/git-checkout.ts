// A local commit's files written by git itself: the tree listed and checked first (entry
// count, sizes, paths, link targets, modes: `git ls-tree -r -l`), then read into a temporary
// index and written out with `git checkout-index`. Unpacking `git archive` through tar cost a
// config repository of 5,000 files seconds of CPU in our process (tar's per-entry mkdir, lstat,
// futimes); git writes the same tree with a few syscalls per file, in C.
//
// As safe as the tar path: git only writes the paths the index holds, and read-tree refuses
// `..`, `.` and `.git` parts (verify_path) on top of the check here; checkout-index never writes
// through a symlink (it checks every leading folder and removes what is in the way inside the
// work tree only); each link's target is read from the object database and refused when it
// leaves the folder, as tar refuses it; bounds are checked before anything is written. Files
// get git's own modes (0644 or 0755 under the umask), as tar gave them with noChmod.
//
// `git archive` alone honours the export-ignore and export-subst attributes: a commit that
// sets either anywhere is left to the archive path (false), so the tree stays what GitHub's
// tarball of the same commit holds.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, posix } from 'node:path';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { SourceFetchError, SourceTooLargeError, TooManyEntriesError, UnsafeArchiveError } from './errors.ts';
import { spawnGit, spawnGitWithInput, type GitExtras } from './git.ts';

export interface CheckoutOptions {
  maxBytes: number;
  /** Files, folders and links, counted as `git archive` would hold them. */
  maxEntries: number;
  /** For messages: `<repo>@<sha>`. */
  what: string;
}

interface TreeEntry {
  mode: string;
  oid: string;
  path: string;
}

const SYMLINK = '120000';
const GITLINK = '160000';
const MODES = new Set(['100644', '100755', SYMLINK, GITLINK]);

/** Writes the tree of `commit` into the empty folder `dir`; false when only `git archive` can (export attributes). */
export async function checkoutCommit(repoDir: string, commit: string, dir: string, options: CheckoutOptions): Promise<boolean> {
  const entries = await listTree(repoDir, commit, options);
  await checkLinks(repoDir, entries, options.what);
  const scratch = await mkdtemp(join(tmpdir(), 'driftless-index-'));
  try {
    // A private index: the repository's own index and work tree are never read or touched.
    const extras: GitExtras = { env: { GIT_INDEX_FILE: join(scratch, 'index'), GIT_WORK_TREE: dir }, settings: [['core.symlinks', 'true']] };
    await collect(await spawnGit(repoDir, ['read-tree', commit], extras), `git read-tree ${commit} in ${repoDir}`);
    if (await usesExportAttributes(repoDir, entries, extras)) return false;
    await collect(await spawnGit(repoDir, ['checkout-index', '--all'], extras), `git checkout-index of ${options.what}`);
    return true;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Every blob and submodule of the commit, refused past a bound or on a path tar would refuse. */
async function listTree(repoDir: string, commit: string, { maxBytes, maxEntries, what }: CheckoutOptions): Promise<TreeEntry[]> {
  const child = await spawnGit(repoDir, ['ls-tree', '-r', '-l', '-z', '--full-tree', commit]);
  const entries: TreeEntry[] = [];
  const folders = new Set<string>();
  let bytes = 0;
  let refusal: Error | undefined;
  let rest = '';
  const take = (record: string) => {
    // `<mode> <type> <oid> <size>\t<path>`; the size is `-` for a submodule.
    const tab = record.indexOf('\t');
    const [mode = '', , oid = '', size = ''] = record.slice(0, tab).split(/ +/);
    const path = record.slice(tab + 1);
    if (!MODES.has(mode)) return new UnsafeArchiveError(`archive of ${what} has an unsafe entry: ${path} has mode ${mode}`);
    const parts = path.split('/');
    if (isAbsolute(path) || parts.some((part) => part === '' || part === '.' || part === '..'))
      return new UnsafeArchiveError(`archive of ${what} has an unsafe entry: path ${JSON.stringify(path)}`);
    bytes += size === '-' ? 0 : Number(size);
    if (bytes > maxBytes) return new SourceTooLargeError(`unpacked content of ${what}`, maxBytes);
    // The archive holds each folder once, as its own entry.
    for (let end = path.lastIndexOf('/'); end > 0 && !folders.has(path.slice(0, end)); end = path.lastIndexOf('/', end - 1)) folders.add(path.slice(0, end));
    entries.push({ mode, oid, path });
    if (entries.length + folders.size > maxEntries) return new TooManyEntriesError(`archive of ${what}`, maxEntries);
    return undefined;
  };
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    if (refusal) return;
    const records = (rest + text).split('\0');
    rest = records.pop() ?? '';
    for (const record of records) {
      refusal = take(record);
      if (refusal) {
        child.kill();
        return;
      }
    }
  });
  const failure = await exit(child, `git ls-tree ${commit} in ${repoDir}`);
  if (refusal) throw refusal;
  if (failure) throw failure;
  return entries;
}

/** Refuses a symlink whose target is absolute or climbs out of the folder (tar's rule, made strict). */
async function checkLinks(repoDir: string, entries: TreeEntry[], what: string): Promise<void> {
  const links = entries.filter((entry) => entry.mode === SYMLINK);
  if (links.length === 0) return;
  const child = await spawnGitWithInput(repoDir, ['cat-file', '--batch'], links.map((link) => link.oid + '\n').join(''));
  const output = await collect(child, `git cat-file in ${repoDir}`);
  // `<oid> blob <size>\n<content>\n` per link, in the order asked.
  let at = 0;
  for (const link of links) {
    const header = output.indexOf(0x0a, at);
    const size = Number(output.subarray(at, header).toString('latin1').split(' ')[2]);
    const target = output.subarray(header + 1, header + 1 + size).toString('utf8');
    at = header + 1 + size + 1;
    const resolved = posix.normalize(posix.join(posix.dirname(link.path), target));
    if (posix.isAbsolute(target) || resolved === '..' || resolved.startsWith('../') || !Number.isFinite(size))
      throw new UnsafeArchiveError(`archive of ${what} has an unsafe entry: linkpath escapes the folder: symbolic link ${link.path} → ${target}`);
  }
}

/** Whether any path (or a folder above it) sets export-ignore or export-subst, read from the private index. */
async function usesExportAttributes(repoDir: string, entries: TreeEntry[], extras: GitExtras): Promise<boolean> {
  // Folders too: an ignored folder drops all it holds, though its files match no pattern.
  const paths = new Set<string>();
  for (const { path } of entries) {
    paths.add(path);
    for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) paths.add(path.slice(0, end));
  }
  const input = [...paths].join('\0') + '\0';
  const child = await spawnGitWithInput(repoDir, ['check-attr', '--cached', '-z', '--stdin', 'export-ignore', 'export-subst'], input, extras);
  // `<path>\0<attribute>\0<value>\0` per path and attribute.
  const fields = (await collect(child, `git check-attr in ${repoDir}`)).toString('utf8').split('\0');
  for (let index = 2; index < fields.length; index += 3) if (fields[index] !== 'unspecified' && fields[index] !== 'unset') return true;
  return false;
}

/** stdout of `child`, or a SourceFetchError naming `what` and git's message when it fails. */
async function collect(child: ChildProcessByStdio<Writable | null, Readable, Readable>, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const failure = await exit(child, what);
  if (failure) throw failure;
  return Buffer.concat(chunks);
}

async function exit(child: ChildProcessByStdio<Writable | null, Readable, Readable>, what: string): Promise<SourceFetchError | undefined> {
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return code === 0 ? undefined : new SourceFetchError(`${what} failed (exit ${code}): ${stderr.trim()}`);
}
