// Trees that never change once written: the source tree cache's extracted commits, by real
// path. A check of such a tree (no symlink out of it) holds for as long as the tree exists, so
// it runs once per fetched tree instead of once per render: a config repository of a thousand
// apps is walked once per commit, not a thousand times.

const trees = new Map<string, Promise<void> | undefined>();

/** `realRoot` will not change until forgotten (its folder is deleted). */
export function markReadOnlyTree(realRoot: string): void {
  if (!trees.has(realRoot)) trees.set(realRoot, undefined);
}

export function forgetReadOnlyTree(realRoot: string): void {
  trees.delete(realRoot);
}

/** Runs `check` on `root`, only the first time for a read-only tree (its answer, thrown or not, stands). */
export function checkTreeOnce(root: string, check: () => Promise<void>): Promise<void> {
  if (!trees.has(root)) return check();
  let done = trees.get(root);
  if (!done) {
    done = check();
    trees.set(root, done);
  }
  return done;
}
