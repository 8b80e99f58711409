// The syncs a push's registry refresh carries (`thenSync`: the push changed the registry and
// these apps at once), sent once the refresh has stored or refused the registry of the commit,
// so each runs with that commit's apps and projects. An app the refresh found changed has had
// its sync sent by the refresh itself, at the same commit. Their requests were written by the
// webhook, as for any push.
import type { RegistryRefreshJob, SyncJob } from '../queue/job.ts';
import type { WorkerDependencies } from './dependencies.ts';

export function carriedSyncs(job: RegistryRefreshJob, sentByRefresh: readonly string[]): SyncJob[] {
  const sent = new Set(sentByRefresh);
  return (job.thenSync ?? [])
    .filter((target) => !sent.has(target.app))
    .map((target) => ({
      kind: 'sync',
      app: target.app,
      cluster: target.cluster,
      revision: job.revision,
      ref: job.ref,
      trigger: 'push',
      deliveryId: job.deliveryId,
      enqueuedAt: job.enqueuedAt,
      ...(job.committedAt ? { committedAt: job.committedAt } : {}),
    }));
}

export async function sendCarriedSyncs(job: RegistryRefreshJob, sentByRefresh: readonly string[], deps: Pick<WorkerDependencies, 'queue'>): Promise<void> {
  const syncs = carriedSyncs(job, sentByRefresh);
  if (syncs.length > 0) await deps.queue.enqueue(syncs);
}
