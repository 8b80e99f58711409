// Starting children of a wave plan: each one's sync is requested and enqueued, as a config
// push does for an app it changed. A child whose commit cannot be resolved is recorded as
// failed instead, naming why (app-waves.ts does this once, when it plans).
import type { SyncJob } from '../queue/job.ts';
import type { WavePlanChild } from '../state/types.ts';
import type { WorkerDependencies } from './dependencies.ts';

export async function startChildren(parent: string, children: WavePlanChild[], deliveryId: string | undefined, deps: WorkerDependencies): Promise<void> {
  const jobs: SyncJob[] = [];
  for (const child of children) {
    if (child.revision === undefined) continue;
    const ref = { app: child.app, cluster: child.cluster };
    await deps.store.requestSync(ref, child.revision);
    jobs.push({
      kind: 'sync',
      app: child.app,
      cluster: child.cluster,
      revision: child.revision,
      ref: child.ref,
      trigger: 'config',
      deliveryId,
      enqueuedAt: new Date().toISOString(),
    });
  }
  if (jobs.length > 0) await deps.queue.enqueue(jobs);
  deps.logger.info('children of the app started', { app: parent, children: jobs.map((job) => `${job.app}@${job.cluster}`) });
}

/** The children that cannot sync, recorded as failed on their own targets (`child of <parent>`). */
export async function recordUnresolved(parent: string, children: WavePlanChild[], deps: WorkerDependencies): Promise<void> {
  for (const child of children) {
    if (child.problem === undefined) continue;
    await deps.store.putTargetState({
      app: child.app,
      cluster: child.cluster,
      ...(child.namespace !== undefined ? { namespace: child.namespace } : {}),
      syncStatus: 'Failed',
      health: 'Unknown',
      message: `cannot sync (child of ${parent}): ${child.problem}`,
    });
  }
}
