// Whether a sync that ran out of invocation time goes on in a new message: everything is
// applied and only health is pending, and the app's overall sync time (counted from when the
// sync was first asked for, not from this invocation) is not used up.
import type { SyncJob } from '../../queue/job.ts';
import type { ChangeSet } from '../../sync/changeset.ts';

/** A sync (with its continuations) that is still not healthy after this fails. */
export const APP_SYNC_TIMEOUT_MS = 30 * 60_000;

export function needsMoreTime(result: ChangeSet, enqueuedAt: string, now: Date): boolean {
  if (result.status !== 'Failed') return false;
  const onlyWaiting =
    result.objects.every((change) => change.action !== 'failed' || change.health === 'Progressing') &&
    result.objects.some((change) => change.health === 'Progressing');
  const elapsed = now.getTime() - Date.parse(enqueuedAt);
  return onlyWaiting && /timed out/.test(result.message) && elapsed < APP_SYNC_TIMEOUT_MS;
}

/** The next message of a continued sync (or cluster scan): the same job, same enqueuedAt, one more continuation. */
export function continuationOf<J extends Pick<SyncJob, 'continuation'>>(job: J): J {
  return { ...job, continuation: (job.continuation ?? 0) + 1 };
}
