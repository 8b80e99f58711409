// A push to the config repository: read the registry at that commit, store it, and sync the
// apps whose definition changed (new apps included). A broken registry changes nothing.
import { diffRegistries } from '../config/diff.ts';
import { RegistryError } from '../config/errors.ts';
import { loadRegistry } from '../config/load.ts';
import { tracksBranch } from '../config/match.ts';
import { repoKey, sameRepo } from '../config/repo-url.ts';
import type { Registry } from '../config/types.ts';
import type { RegistryRefreshJob, SyncJob } from '../queue/job.ts';
import type { WorkerDependencies } from './dependencies.ts';

export const REGISTRY_CONTEXT = 'driftless/registry';

export async function refreshRegistry(job: RegistryRefreshJob, deps: WorkerDependencies): Promise<{ changedApps: string[] }> {
  const config = deps.configRepo;
  if (!config) {
    deps.logger.warn('registry refresh received but no config repository is configured', { revision: job.revision });
    return { changedApps: [] };
  }
  const source = await deps.sources.fetch({ repoURL: config.repoURL, revision: job.revision });
  let registry: Registry;
  try {
    registry = await loadRegistry(source.root, config.dir);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    await deps.statuses.post({ repoURL: config.repoURL, sha: job.revision, state: 'failure', context: REGISTRY_CONTEXT, description: `registry rejected: ${error.problems.length} problem(s); see the worker log` }).catch(() => undefined);
    deps.logger.warn('registry rejected; the previous one stays in force', { revision: job.revision, problems: error.message });
    return { changedApps: [] };
  } finally {
    await source.dispose();
  }

  const before = (await deps.store.getRegistry())?.registry;
  const { changedApps, removedApps } = diffRegistries(before ?? { apps: [], clusters: [], projects: [] }, registry);
  await deps.store.putRegistry(registry, job.revision);
  await deps.statuses.post({ repoURL: config.repoURL, sha: job.revision, state: 'success', context: REGISTRY_CONTEXT, description: `registry: ${registry.apps.length} apps, ${registry.clusters.length} clusters; ${changedApps.length} changed` }).catch(() => undefined);
  deps.logger.info('registry refreshed', { revision: job.revision, changedApps, removedApps });

  // Each app syncs the commit its own source points at. An app in the config repository on
  // the pushed branch is at this very commit; others are resolved once per repo and revision.
  const resolved = new Map<string, Promise<string>>();
  const commitOf = (repoURL: string, revision: string): Promise<string> => {
    if (sameRepo(repoURL, config.repoURL) && tracksBranch(revision, job.ref)) return Promise.resolve(job.revision);
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
  const jobs: SyncJob[] = [];
  for (const app of registry.apps.filter((candidate) => changedApps.includes(candidate.name))) {
    const sha = await commitOf(app.source.repoURL, app.source.targetRevision);
    for (const destination of app.destinations) {
      await deps.store.requestSync({ app: app.name, cluster: destination.cluster }, sha);
      jobs.push({ kind: 'sync', app: app.name, cluster: destination.cluster, revision: sha, ref: app.source.targetRevision, trigger: 'config', deliveryId: job.deliveryId, enqueuedAt: new Date().toISOString() });
    }
  }
  if (jobs.length > 0) await deps.queue.enqueue(jobs);
  return { changedApps };
}
