// The app-of-apps steps of a parent's sync. Before the sync: its render's Application and
// AppProject documents are split off (they never reach the cluster) and checked as registry
// entries; a broken child fails the parent as bad input with nothing applied. After a
// successful sync: they replace the parent's children in the registry (a conditional write,
// retried on conflict, so a config refresh in between is not lost), the children that are new
// or changed are started (wave by wave: app-waves.ts), and those it no longer renders are
// removed (remove-apps.ts). A child's own render does the same for its children.
import { assertChildrenPermitted } from '../app-of-apps/child-bounds.ts';
import { childrenOf, type Children } from '../app-of-apps/children.ts';
import { childrenWithSets } from '../app-of-apps/set-children.ts';
import { gitFilesFromFetcher } from '../appset/git-files.ts';
import { gitWithinProject } from '../appset/project-git.ts';
import type { SourceFetcher } from '../source/fetcher.ts';
import { replaceChildren } from '../app-of-apps/family.ts';
import { splitRender } from '../app-of-apps/split.ts';
import type { RegistryApp } from '../app-of-apps/types.ts';
import { updateRegistry } from '../app-of-apps/update-registry.ts';
import { tracksBranch } from '../config/match.ts';
import { repoKey, sameRepo } from '../config/repo-url.ts';
import type { AppSpec, Registry } from '../config/types.ts';
import { isBadInput } from '../errors/bad-input.ts';
import type { ProjectBounds } from '../project/check-objects.ts';
import type { SyncJob } from '../queue/job.ts';
import type { RenderedObject } from '../render/types.ts';
import type { WorkerDependencies } from './dependencies.ts';
import { removeApps } from './remove-apps.ts';
import { removalGroups } from '../appset/removal.ts';
import { planWaves } from './app-waves.ts';

export interface ParentRender {
  /** What the sync applies. */
  manifests: RenderedObject[];
  /** Set when the app is (or was) a parent: the children its render declares now. */
  children?: Children;
}

/**
 * The sync's split: `registry` is the one the job was read against (no second read on every
 * sync); `sources` serves the git generators of the ApplicationSets the render holds, which are
 * generated into children (set-children.ts).
 */
export async function splitChildrenAndSets(
  app: AppSpec,
  objects: RenderedObject[],
  bounds: ProjectBounds,
  registry: Registry,
  sources: SourceFetcher,
): Promise<ParentRender> {
  const split = splitRender(objects);
  assertChildrenPermitted(bounds, [...split.children, ...split.applicationSets]);
  const hadChildren = registry.apps.some((candidate) => (candidate as RegistryApp).parent === app.name);
  if (split.children.length === 0 && split.applicationSets.length === 0 && !hadChildren) return { manifests: split.manifests };
  const git = gitFilesFromFetcher(sources);
  try {
    return {
      manifests: split.manifests,
      children: await childrenWithSets(app.name, split.children, split.applicationSets, registry, gitWithinProject(git, bounds.project)),
    };
  } finally {
    await git.dispose();
  }
}

/**
 * The same without generating the render's ApplicationSets (a preview of the parent: its
 * manifests, and its written children checked; what its sets generate is not previewed).
 */
export function splitChildren(app: AppSpec, objects: RenderedObject[], bounds: ProjectBounds, registry: Registry): ParentRender {
  const split = splitRender(objects);
  assertChildrenPermitted(bounds, [...split.children, ...split.applicationSets]);
  const hadChildren = registry.apps.some((candidate) => (candidate as RegistryApp).parent === app.name);
  if (split.children.length === 0 && split.applicationSets.length === 0 && !hadChildren) return { manifests: split.manifests };
  return { manifests: split.manifests, children: childrenOf(app.name, split.children, [], registry) };
}

/** A child to sync at a commit. */
export interface ChildStart {
  app: RegistryApp;
  /** The commit to sync, or why it cannot be resolved (bad input of the child's own). */
  commit: { sha: string } | { problem: string };
}

/** Stores the children and starts or removes what changed. Call once the parent's own sync succeeded. */
export async function adoptChildren(job: SyncJob, parent: AppSpec, children: Children, deps: WorkerDependencies): Promise<void> {
  let before: Registry | undefined;
  const outcome = await updateRegistry(deps.store, (current) => {
    const registry = current?.registry ?? { apps: [], clusters: [], projects: [] };
    before = registry;
    const change = replaceChildren(registry, parent.name, children);
    return { ...change, revision: current?.revision ?? job.revision };
  });
  if (!outcome) return;
  const { changedApps, removedApps } = outcome;
  deps.logger.info('children of the app stored in the registry', {
    app: parent.name,
    revision: job.revision,
    children: children.apps.map((child) => child.name),
    changedApps,
    removedApps: removedApps.map((app) => app.name),
  });
  const changed = children.apps.filter((child) => changedApps.includes(child.name));
  const starts = await childCommits(job, parent, changed, deps);
  // Wave by wave (app-waves.ts): the lowest wave now, the next when it is Synced and Healthy.
  await planWaves(job, parent, starts, children.apps, deps);
  // A child one of its ApplicationSets no longer generates leaves as the set says (preserveResourcesOnDeletion).
  for (const group of removalGroups(removedApps, before ?? outcome.registry, outcome.registry, `no longer rendered by ${parent.name}`)) {
    await removeApps(group.apps, { revision: job.revision, reason: group.reason, deliveryId: job.deliveryId }, deps);
  }
}

/**
 * The commit each child syncs: one in the parent's repository on the parent's branch is at the
 * parent's commit; others are resolved once per repository and revision.
 */
async function childCommits(job: SyncJob, parent: AppSpec, children: RegistryApp[], deps: WorkerDependencies): Promise<ChildStart[]> {
  const resolved = new Map<string, Promise<string>>();
  const starts: ChildStart[] = [];
  for (const app of children) {
    const { repoURL, targetRevision } = app.source;
    try {
      if (
        sameRepo(repoURL, parent.source.repoURL) &&
        (targetRevision === parent.source.targetRevision || tracksBranch(targetRevision, job.ref ?? parent.source.targetRevision))
      ) {
        starts.push({ app, commit: { sha: job.revision } });
        continue;
      }
      const key = `${repoKey(repoURL)}@${targetRevision}`;
      let sha = resolved.get(key);
      if (!sha) {
        sha = deps.sources.fetch({ repoURL, revision: targetRevision }).then(async (head) => {
          await head.dispose();
          return head.sha;
        });
        resolved.set(key, sha);
      }
      starts.push({ app, commit: { sha: await sha } });
    } catch (error) {
      if (!isBadInput(error)) throw error;
      starts.push({ app, commit: { problem: error.message } });
    }
  }
  return starts;
}
