// The paths two fetched trees differ in, when the caller has no list of changed files (a
// preview from two refs without a PR): added, removed and modified files alike, as
// `git diff --name-only --no-renames` lists them (a rename is its old and its new path).
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export async function changedBetween(baseRoot: string, headRoot: string): Promise<string[]> {
  const [base, head] = await Promise.all([digests(baseRoot), digests(headRoot)]);
  const changed = new Set<string>();
  for (const [path, digest] of head) if (base.get(path) !== digest) changed.add(path);
  for (const path of base.keys()) if (!head.has(path)) changed.add(path);
  return [...changed].sort();
}

/** Every file and symlink under `root` by its slash-separated relative path, with a digest of its content. */
async function digests(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, path);
      else if (entry.isSymbolicLink()) out.set(path, `link:${await readlink(full)}`);
      else if (entry.isFile()) {
        // Mode counts as git counts it: a file made executable is a change.
        const executable = ((await lstat(full)).mode & 0o111) !== 0;
        out.set(
          path,
          `${executable ? 'x' : 'f'}:${createHash('sha256')
            .update(await readFile(full))
            .digest('hex')}`,
        );
      }
    }
  };
  await walk(root, '');
  return out;
}
