// Apps that left the registry (a config push dropped them, or their parent no longer renders
// them), as Argo CD deletes an Application: with the resources finalizer its resources are
// deleted (a delete-app job per cluster, in the target's own FIFO group so it never runs
// beside a sync of it); without it they stay on the cluster, and the target says they are
// orphaned and an `App Removed` event counts them.
import type { AppSpec } from '../config/types.ts';
import { finalizerOf } from '../app-of-apps/types.ts';
import type { DeleteAppJob } from '../queue/job.ts';
import type { WorkerDependencies } from './dependencies.ts';
import { emit } from './report.ts';

export interface Removal {
  /** The registry or parent commit whose change removed the apps. */
  revision: string;
  /** `removed from the registry`, `no longer rendered by root`. */
  reason: string;
  deliveryId?: string;
}

export async function removeApps(apps: AppSpec[], removal: Removal, deps: WorkerDependencies): Promise<void> {
  const jobs: DeleteAppJob[] = [];
  for (const app of apps) {
    const finalizer = finalizerOf(app);
    for (const { cluster } of app.destinations) {
      if (finalizer) {
        jobs.push({
          kind: 'delete-app',
          app: app.name,
          cluster,
          revision: removal.revision,
          project: app.project,
          finalizer,
          reason: removal.reason,
          deliveryId: removal.deliveryId,
          enqueuedAt: new Date().toISOString(),
        });
        continue;
      }
      await orphan(app, cluster, removal, deps);
    }
  }
  if (jobs.length > 0) await deps.queue.enqueue(jobs);
}

async function orphan(app: AppSpec, cluster: string, removal: Removal, deps: WorkerDependencies): Promise<void> {
  const target = await deps.store.getTarget(app.name, cluster);
  const orphaned = target?.inventory?.entries.length ?? 0;
  const message = `${removal.reason}: ${orphaned} resource(s) left on the cluster, orphaned (no resources-finalizer.argocd.argoproj.io); delete them by hand or restore the app`;
  if (target) await deps.store.putTargetState({ app: app.name, cluster, syncStatus: 'Unknown', message });
  deps.logger.info('app removed from the registry; its resources stay', { app: app.name, cluster, revision: removal.revision, orphaned });
  await emit(deps, 'App Removed', { app: app.name, cluster, revision: removal.revision, reason: removal.reason, orphaned, summary: message });
}
