// A change to the config repository's registry folder: the registry as the head would have it
// (read from the head's tree as a config push reads it), and the apps whose definition it
// changes or adds (config/diff.ts), previewed from the head's definitions. What a config push
// does beyond reading the files is not followed: children an app of apps declares are carried
// over from the registry in force unchanged, and a removed app is only named (its prune follows
// its finalizer). ApplicationSets are generated at the head as a config push generates them
// (their git generators read now, their applicationsSync against the registry in force).
import { parentOf } from '../app-of-apps/types.ts';
import { diffRegistries } from '../config/diff.ts';
import { configChanged } from '../config/match.ts';
import { loadRegistry } from '../config/load.ts';
import { sameRepo } from '../config/repo-url.ts';
import type { Registry } from '../config/types.ts';
import type { SourceFetcher } from '../source/fetcher.ts';
import { gitFilesFromFetcher } from '../appset/git-files.ts';

export interface RegistryChange {
  /** The registry at the head, the current one's children carried over. */
  registry: Registry;
  /** Apps the head adds or defines differently. */
  changedApps: string[];
  notes: string[];
}

export async function registryChange(
  current: Registry,
  configRepo: { repoURL: string; dir: string } | undefined,
  change: { repoURL: string; head: string; changedFiles: string[] },
  sources: SourceFetcher,
): Promise<RegistryChange | undefined> {
  if (!configRepo || !sameRepo(configRepo.repoURL, change.repoURL) || !configChanged(configRepo.dir, change.changedFiles)) return undefined;
  const tree = await sources.fetch({ repoURL: change.repoURL, revision: change.head });
  const git = gitFilesFromFetcher(sources);
  let head: Registry;
  try {
    head = await loadRegistry(tree.root, configRepo.dir, { git, previous: current });
  } catch (error) {
    return {
      registry: current,
      changedApps: [],
      notes: [`the registry in ${configRepo.dir}/ at the head does not load, so a merge would change nothing: ${(error as Error).message}`],
    };
  } finally {
    await Promise.all([tree.dispose(), git.dispose()]);
  }
  const named = new Set(head.apps.map((app) => app.name));
  const children = current.apps.filter((app) => parentOf(app) !== undefined && !named.has(app.name));
  const registry: Registry = { ...head, apps: [...head.apps, ...children] };
  const diff = diffRegistries(current, registry);
  const notes = diff.removedApps.map(
    (app) => `app ${app} is removed from the registry by this change: not previewed (its objects are pruned as its finalizer says)`,
  );
  return { registry, changedApps: diff.changedApps, notes };
}
