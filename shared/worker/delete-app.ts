// The delete-app job: an app left the registry carrying Argo CD's resources finalizer, so its
// resources go, as Argo CD's finalizer deletes them: every object of its last inventory, in
// reverse install order, with the prune safety rules (only objects whose live tracking id is
// this app's; nothing outside its project's bounds, which are kept and reported). When all is
// gone its target state is removed; what could not be deleted is recorded and tried again.
import { projectOf } from '../config/normalise-project.ts';
import { Discovery } from '../kube/discovery.ts';
import type { PropagationPolicy } from '../kube/prune.ts';
import { targetId, type DeleteAppJob } from '../queue/job.ts';
import { countActions } from '../sync/changeset.ts';
import { pruneStale } from '../sync/prune-step.ts';
import { projectRoleFor } from '../project/roles.ts';
import { pruneRefusal } from '../sync/project-bounds.ts';
import type { JobContext, WorkerDependencies } from './dependencies.ts';
import { LeaseBusyError, RetryableJobError } from './errors.ts';
import { emit } from './report.ts';

export type DeleteOutcome = 'deleted' | 'skipped';

const LEASE_MS = 16 * 60_000;
const CONCURRENCY = 8;

export async function deleteApp(job: DeleteAppJob, context: JobContext, deps: WorkerDependencies): Promise<DeleteOutcome> {
  const ref = { app: job.app, cluster: job.cluster };
  const registry = (await deps.store.getRegistry())?.registry;
  // Put back (or rendered again) since: it is an app again, and its next sync owns the resources.
  if (registry?.apps.some((app) => app.name === job.app && app.destinations.some((destination) => destination.cluster === job.cluster))) {
    deps.logger.info('app is in the registry again; delete dropped', fields(job));
    return 'skipped';
  }
  const cluster = registry?.clusters.find((candidate) => candidate.name === job.cluster);
  const target = await deps.store.getTarget(job.app, job.cluster);
  const entries = target?.inventory?.entries ?? [];
  if (!cluster || entries.length === 0) {
    if (target) await deps.store.removeTarget(ref);
    deps.logger.info(cluster ? 'deleted app had no resources' : "deleted app's cluster is no longer registered; its resources cannot be reached", {
      ...fields(job),
      resources: entries.length,
    });
    return 'deleted';
  }
  if (!(await deps.store.acquireLease(ref, deps.owner, Math.min(LEASE_MS, context.remainingMs() + 60_000))))
    throw new LeaseBusyError(targetId(job.app, job.cluster));
  try {
    const project = registry ? projectOf(registry, job.project) : undefined;
    // Deleted as they were written: as the project's role when it names one.
    const client = await deps.connect(cluster, project && projectRoleFor(project, cluster, target?.namespace ?? '', job.app));
    const discovery = new Discovery(client);
    const result = await pruneStale({ app: job.app, client, discovery, dryRun: false, concurrency: CONCURRENCY }, entries, {
      renderIsEmpty: false,
      allowEmpty: true,
      // No project any more: nothing may be deleted on its say-so.
      refusal: project ? pruneRefusal({ project, cluster }) : () => `project ${job.project} is no longer defined`,
      propagationPolicy: propagation(job.finalizer),
    });
    const counts = countActions(result.changes);
    const failed = result.changes.filter((change) => change.action === 'failed');
    if (failed.length > 0) {
      throw new RetryableJobError(
        `${targetId(job.app, job.cluster)}: ${failed.length} resource(s) could not be deleted: ${failed.map((change) => `${change.kind}/${change.name}: ${change.message ?? ''}`).join('; ')}`,
      );
    }
    if (result.kept.length > 0) {
      const message = `${job.reason}: resources deleted except ${result.kept.length} kept (${result.changes
        .filter((change) => change.action === 'skipped')
        .map((change) => `${change.kind}/${change.name}: ${change.message ?? ''}`)
        .join('; ')})`;
      await deps.store.putTargetState({ ...ref, syncStatus: 'Unknown', message, inventory: { ...target!.inventory!, entries: result.kept } });
    } else {
      await deps.store.removeTarget(ref);
    }
    deps.logger.info("removed app's resources deleted", { ...fields(job), counts });
    await emit(deps, 'App Deleted', {
      app: job.app,
      cluster: job.cluster,
      revision: job.revision,
      reason: job.reason,
      counts,
      summary: `${job.reason}: ${counts.pruned ?? 0} resource(s) deleted, ${result.kept.length} kept`,
    });
    return 'deleted';
  } finally {
    await deps.store.releaseLease(ref, deps.owner).catch(() => undefined);
  }
}

/** Argo CD: the plain finalizer and `/foreground` delete in the foreground, `/background` in the background. */
function propagation(finalizer: string): PropagationPolicy {
  return finalizer.endsWith('/background') ? 'Background' : 'Foreground';
}

function fields(job: DeleteAppJob): Record<string, unknown> {
  return { app: job.app, cluster: job.cluster, revision: job.revision, reason: job.reason, deliveryId: job.deliveryId };
}
