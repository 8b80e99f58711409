// Asking for a sync the way the webhook does: first claim the commit on the target
// (requestSync: the worker only applies the newest requested commit), then enqueue the job.
import type { SyncTrigger } from '../queue/job.ts';
import type { TargetRef } from '../state/types.ts';
import type { OperationDeps } from './deps.ts';

export interface SyncRequest extends TargetRef {
  revision: string;
  /** The request's number: the sync that records `appliedSeq >= seq` answered it (or a newer one). */
  seq: number;
  /** The sync's trigger, as the history records it. */
  reason: Extract<SyncTrigger, 'manual' | 'rollback'>;
  requestedAt: string;
}

export async function requestTargetSync(
  deps: OperationDeps,
  target: TargetRef,
  revision: string,
  reason: SyncRequest['reason'],
  ref?: string,
): Promise<SyncRequest> {
  const requestedAt = (deps.now?.() ?? new Date()).toISOString();
  const seq = await deps.store.requestSync(target, revision);
  await deps.queue.enqueue([{ kind: 'sync', app: target.app, cluster: target.cluster, revision, ref, trigger: reason, enqueuedAt: requestedAt }]);
  return { app: target.app, cluster: target.cluster, revision, seq, reason, requestedAt };
}
