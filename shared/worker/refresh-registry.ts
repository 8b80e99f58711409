// A push to the config repository: read the registry at that commit (its ApplicationSets
// generated: shared/appset/expand.ts), store it, and sync the apps whose definition changed (new
// apps included). A push to what a set's git generator reads asks the same at the config
// branch's head (trigger `generator`). A broken registry changes nothing, and
// neither does a push naming a commit that does not exist (bad input: said once, not retried)
// or one older than the registry in force (a replayed or out-of-order push).
import { isChartSource } from '../config/app-sources.ts';
import { diffRegistries } from '../config/diff.ts';
import { formatProblem, RegistryError } from '../config/errors.ts';
import { parseRegistryFiles, readRegistryFiles } from '../config/load.ts';
import { tracksBranch } from '../config/match.ts';
import { repoKey, sameRepo } from '../config/repo-url.ts';
import type { AppSpec, Registry } from '../config/types.ts';
import { isBadInput } from '../errors/bad-input.ts';
import { truncateDescription } from '../github/status.ts';
import { targetId, type RegistryRefreshJob, type SyncJob } from '../queue/job.ts';
import type { FetchedSource } from '../source/fetcher.ts';
import type { WorkerDependencies } from './dependencies.ts';
import { carryChildren, descendantsOf } from '../app-of-apps/family.ts';
import { withFinalizers } from '../app-of-apps/finalizers.ts';
import { fanOut } from './fan-out.ts';
import { removeApps } from './remove-apps.ts';
import { updateRegistry } from '../app-of-apps/update-registry.ts';
import { registryReplayQuestion, staleRevisionMessage } from './policy/replay.ts';
import { isStaleRevision } from './refuse-stale.ts';
import { expandApplicationSets } from '../appset/expand.ts';
import { gitFilesFromFetcher } from '../appset/git-files.ts';
import { removalGroups } from '../appset/removal.ts';
import { rolloutSetOf, routeRollouts } from '../rollout/route.ts';

export const REGISTRY_CONTEXT = 'driftless/registry';

export async function refreshRegistry(request: RegistryRefreshJob, deps: WorkerDependencies): Promise<{ changedApps: string[] }> {
  let job = request;
  const config = deps.configRepo;
  if (!config) {
    deps.logger.warn('registry refresh received but no config repository is configured', { revision: job.revision });
    return { changedApps: [] };
  }
  const current = await deps.store.getRegistry();
  if (await isStale(job, config.repoURL, current?.revision, deps)) return { changedApps: [] };

  let source: FetchedSource;
  try {
    source = await deps.sources.fetch({ repoURL: config.repoURL, revision: job.revision });
  } catch (error) {
    // A signed push naming a commit that is not there (or a repository we may not read): the
    // user's to fix, so it is said once and the message is done.
    if (!isBadInput(error)) throw error;
    await postRegistryStatus(deps, config.repoURL, job.revision, 'failure', `registry not read: ${error.message}`);
    deps.logger.warn('registry refresh refused: bad input; the previous registry stays in force', { revision: job.revision, error: error.message });
    return { changedApps: [] };
  }
  // A generator's repository changed: the registry is read again at the config branch's head.
  if (job.trigger === 'generator') job = { ...job, revision: source.sha };
  let written: Registry;
  // What the sets' git generators read: each repository and revision fetched once for the refresh.
  const git = gitFilesFromFetcher(deps.sources);
  try {
    const files = await readRegistryFiles(source.root, config.dir);
    // The sets are generated on every config push (a Cluster added, removed or relabelled is one).
    written = await expandApplicationSets(withFinalizers(parseRegistryFiles(files), files), { previous: current?.registry, git });
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    await postRegistryStatus(deps, config.repoURL, job.revision, 'failure', rejection(error));
    deps.logger.warn('registry rejected; the previous one stays in force', { revision: job.revision, problems: error.message });
    return { changedApps: [] };
  } finally {
    await Promise.all([source.dispose(), git.dispose()]);
  }

  // The children of the parents the push keeps stay (their parents' syncs own them).
  const registry = carryChildren(current?.registry, written);
  const { changedApps, removedApps } = diffRegistries(current?.registry ?? { apps: [], clusters: [], projects: [] }, registry);
  // Each changed app's commit is resolved before the registry is stored: a failure to reach
  // GitHub is retried with nothing stored yet, so the retry still sees these apps as changed.
  const commits = await resolveCommits(
    job,
    config.repoURL,
    registry.apps.filter((candidate) => changedApps.includes(candidate.name)),
    deps,
  );
  // Conditional on the registry read: a parent that stored its children meanwhile is kept.
  try {
    await updateRegistry(deps.store, (latest) => ({ registry: carryChildren(latest?.registry, written), revision: job.revision }));
  } catch (error) {
    // A registry that cannot be stored (too large for its item): said once, not retried.
    if (!isBadInput(error)) throw error;
    await postRegistryStatus(deps, config.repoURL, job.revision, 'failure', `registry not stored: ${error.message}`);
    deps.logger.warn('registry refresh refused: bad input; the previous registry stays in force', { revision: job.revision, error: error.message });
    return { changedApps: [] };
  }
  const sets = registry.applicationSets?.length ?? 0;
  await postRegistryStatus(
    deps,
    config.repoURL,
    job.revision,
    'success',
    `registry: ${registry.apps.length} apps, ${registry.clusters.length} clusters${sets > 0 ? `, ${sets} ApplicationSets` : ''}; ${changedApps.length} changed`,
  );
  deps.logger.info('registry refreshed', { revision: job.revision, changedApps, removedApps });
  // An app dropped by the push takes its children along, as Argo CD's cascade does.
  const before = current?.registry ?? { apps: [], clusters: [], projects: [] };
  const leaving = new Set(removedApps);
  for (const name of descendantsOf(before, leaving)) leaving.add(name);
  const gone = before.apps.filter((app) => leaving.has(app.name) && !registry.apps.some((kept) => kept.name === app.name));
  // A generated app leaves as its set says (preserveResourcesOnDeletion keeps its resources).
  for (const group of removalGroups(gone, before, registry)) {
    await removeApps(group.apps, { revision: job.revision, reason: group.reason, deliveryId: job.deliveryId }, deps);
  }

  const jobs: SyncJob[] = [];
  const requests = new Map<string, { app: string; cluster: string; sha: string }>();
  for (const commit of commits) {
    const { app } = commit;
    for (const destination of app.destinations) {
      const ref = { app: app.name, cluster: destination.cluster };
      if ('problem' in commit) {
        await deps.store.putTargetState({
          ...ref,
          namespace: destination.namespace,
          syncStatus: 'Failed',
          health: 'Unknown',
          message: `cannot sync: ${commit.problem}`,
        });
        continue;
      }
      // A RollingSync set's target is requested by its rollout, when its step starts it (below).
      if (rolloutSetOf(app, registry) === undefined) requests.set(targetId(app.name, destination.cluster), { ...ref, sha: commit.sha });
      jobs.push({
        kind: 'sync',
        app: app.name,
        cluster: destination.cluster,
        revision: commit.sha,
        ref: app.source.targetRevision,
        trigger: 'config',
        deliveryId: job.deliveryId,
        enqueuedAt: new Date().toISOString(),
      });
    }
  }
  // The syncs of a set with a RollingSync strategy become the set's rollout: its targets marked, one start job per set.
  const routed = routeRollouts(jobs, registry, { id: job.revision, repoURL: config.repoURL, ref: job.ref });
  await fanOut({ jobs: routed.jobs, requests, marks: routed.marks }, deps);
  return { changedApps };
}

/** True (and logged) when the push is older than the registry in force: nothing is read or stored. */
async function isStale(job: RegistryRefreshJob, repoURL: string, recorded: string | undefined, deps: WorkerDependencies): Promise<boolean> {
  const question = registryReplayQuestion(job, recorded);
  if (!question || !(await isStaleRevision(repoURL, question, deps))) return false;
  deps.logger.warn(`registry refresh refused: ${staleRevisionMessage(job.revision, question.descendant)}`, {
    revision: job.revision,
    registryRevision: question.descendant,
    deliveryId: job.deliveryId,
  });
  return true;
}

/**
 * The commit each app syncs, the one its own source points at. An app in the config repository
 * on the pushed branch is at this very commit; others are resolved once per repo and revision.
 * An app whose source cannot be resolved for a reason of its own (bad input) carries the problem
 * instead, so one broken app does not hold back the others.
 */
type AppCommit = { app: AppSpec; sha: string } | { app: AppSpec; problem: string };

async function resolveCommits(job: RegistryRefreshJob, configRepoURL: string, apps: AppSpec[], deps: WorkerDependencies): Promise<AppCommit[]> {
  const resolved = new Map<string, Promise<string>>();
  const commitOf = (repoURL: string, revision: string): Promise<string> => {
    if (sameRepo(repoURL, configRepoURL) && tracksBranch(revision, job.ref)) return Promise.resolve(job.revision);
    const key = `${repoKey(repoURL)}@${revision}`;
    let sha = resolved.get(key);
    if (!sha) {
      sha = deps.sources.fetch({ repoURL, revision }).then(async (head) => {
        await head.dispose();
        return head.sha;
      });
      resolved.set(key, sha);
    }
    return sha;
  };
  const commits: AppCommit[] = [];
  for (const app of apps) {
    try {
      // An app of charts alone has no commit of its own: it is at the config commit that defines it.
      commits.push({ app, sha: isChartSource(app.source) ? job.revision : await commitOf(app.source.repoURL, app.source.targetRevision) });
    } catch (error) {
      if (!isBadInput(error)) throw error;
      deps.logger.warn('app not synced: its source cannot be resolved', { app: app.name, revision: app.source.targetRevision, error: error.message });
      commits.push({ app, problem: error.message });
    }
  }
  return commits;
}

/**
 * The registry status's description for a refused push: the first problem (a set that cannot
 * generate says why where the push is looked at), after how many there are when more than one.
 */
function rejection(error: RegistryError): string {
  const [first] = error.problems;
  if (!first) return 'registry rejected; see the worker log';
  const count = error.problems.length > 1 ? ` (${error.problems.length} problems, all in the worker log)` : '';
  return `registry rejected${count}: ${formatProblem(first)}`;
}

/** Best effort: GitHub refuses a status on a commit it does not have, and that must not fail the job. */
async function postRegistryStatus(deps: WorkerDependencies, repoURL: string, sha: string, state: 'success' | 'failure', description: string): Promise<void> {
  await deps.statuses.post({ repoURL, sha, state, context: REGISTRY_CONTEXT, description: truncateDescription(description) }).catch(() => undefined);
}
