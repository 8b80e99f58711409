// Starting a parent's new or changed children: each destination's sync is requested and
// enqueued, as a config push does for an app it changed. A child whose commit cannot be
// resolved is recorded as failed instead, naming why.
import type { AppSpec } from '../config/types.ts';
import type { SyncJob } from '../queue/job.ts';
import type { ChildStart } from './adopt-children.ts';
import type { WorkerDependencies } from './dependencies.ts';

export async function startChildren(job: SyncJob, parent: AppSpec, starts: ChildStart[], deps: WorkerDependencies): Promise<void> {
  const jobs: SyncJob[] = [];
  for (const { app, commit } of starts) {
    for (const destination of app.destinations) {
      const ref = { app: app.name, cluster: destination.cluster };
      if ('problem' in commit) {
        await deps.store.putTargetState({ ...ref, namespace: destination.namespace, syncStatus: 'Failed', health: 'Unknown', message: `cannot sync (child of ${parent.name}): ${commit.problem}` });
        continue;
      }
      await deps.store.requestSync(ref, commit.sha);
      jobs.push({ kind: 'sync', app: app.name, cluster: destination.cluster, revision: commit.sha, ref: app.source.targetRevision, trigger: 'config', deliveryId: job.deliveryId, enqueuedAt: new Date().toISOString() });
    }
  }
  if (jobs.length > 0) await deps.queue.enqueue(jobs);
}
