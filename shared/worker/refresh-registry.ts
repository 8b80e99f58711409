// A push to the config repository: read the registry at that commit, store it, and sync the
// apps whose definition changed (new apps included). A broken registry changes nothing.
import { diffRegistries } from '../config/diff.ts';
import { RegistryError } from '../config/errors.ts';
import { loadRegistry } from '../config/load.ts';
import type { Registry } from '../config/types.ts';
import type { SyncJob } from '../queue/job.ts';
import type { WorkerDependencies } from './dependencies.ts';

export const REGISTRY_CONTEXT = 'driftless/registry';

export async function refreshRegistry(job: SyncJob, deps: WorkerDependencies): Promise<{ changedApps: string[] }> {
  const config = deps.configRepo;
  if (!config) {
    deps.logger.warn('config job received but no config repository is configured', { revision: job.revision });
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

  const before = (await deps.store.getRegistry())?.registry as Registry | undefined;
  const { changedApps, removedApps } = diffRegistries(before ?? { apps: [], clusters: [], projects: [] }, registry);
  await deps.store.putRegistry(registry, job.revision);
  await deps.statuses.post({ repoURL: config.repoURL, sha: job.revision, state: 'success', context: REGISTRY_CONTEXT, description: `registry: ${registry.apps.length} apps, ${registry.clusters.length} clusters; ${changedApps.length} changed` }).catch(() => undefined);
  deps.logger.info('registry refreshed', { revision: job.revision, changedApps, removedApps });

  const jobs: SyncJob[] = [];
  for (const app of registry.apps.filter((candidate) => changedApps.includes(candidate.name))) {
    // The app's own repository may be another one: resolve its revision to a commit now.
    const head = await deps.sources.fetch({ repoURL: app.source.repoURL, revision: app.source.targetRevision });
    await head.dispose();
    for (const destination of app.destinations) {
      await deps.store.requestSync({ app: app.name, cluster: destination.cluster }, head.sha);
      jobs.push({ app: app.name, cluster: destination.cluster, revision: head.sha, ref: app.source.targetRevision, reason: 'config', deliveryId: job.deliveryId, enqueuedAt: new Date().toISOString() });
    }
  }
  if (jobs.length > 0) await deps.queue.enqueue(jobs);
  return { changedApps };
}
