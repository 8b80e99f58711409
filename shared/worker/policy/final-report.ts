// What the end of a sync attempt records on the target, posts on the commit and emits on the
// bus. One table for every ending, so a result, a refused input and a give-up say the same
// things in the same places:
//
//   ending      record            commit status   events
//   succeeded   Synced, health    success         Sync Succeeded
//   failed      Failed, health    failure         Sync Failed
//   degraded    as above          as above        + Health Degraded
//   retrying    Failed, health    pending         none (the next attempt's result is final)
//   bad input   Failed, Unknown   failure         Sync Failed ("cannot sync": the user's to fix)
//   gave up     Failed, Unknown   error           Sync Failed (the job is in the dead-letter queue)
//   superseded  OutOfSync, health failure         none (its health wait was cancelled for a newer
//                                                 revision, cancel-health.ts; that one's sync reports)
//
// Neither the status nor the events carry manifests or secrets: names, counts and messages.
import type { DetailType, EventDetailInput } from '../../events/event.ts';
import type { CommitState } from '../../github/status.ts';
import type { SyncJob } from '../../queue/job.ts';
import type { SyncRecord } from '../../state/types.ts';
import { countActions, type ChangeSet } from '../../sync/changeset.ts';
import type { HealthCancellation } from './cancel-health.ts';

export type SyncEnding =
  /** The sync ran to its end, well or not. */
  | { kind: 'result'; result: ChangeSet; renderKey: string }
  /** The sync failed and the app's retry policy tries again after `retryInSeconds`. */
  | { kind: 'retrying'; result: ChangeSet; renderKey: string; attempt: number; retryInSeconds: number }
  /** The sources, manifests or settings are wrong: nothing was applied and a retry cannot help. */
  | { kind: 'bad-input'; message: string }
  /** The last delivery failed too: SQS moves the job to the dead-letter queue. */
  | { kind: 'gave-up'; attempts: number; message: string }
  /** A newer revision was requested while the sync waited for health: the wait was cancelled, nothing more applied, no retry. */
  | { kind: 'superseded'; result: ChangeSet; renderKey: string; cancellation: HealthCancellation };

export type RecordedResult = Pick<SyncRecord, 'status' | 'health' | 'message' | 'counts' | 'inventory' | 'renderKey'>;

export interface FinalReport {
  record: RecordedResult;
  status: { state: CommitState; description: string };
  events: Array<{ detailType: DetailType; detail: EventDetailInput }>;
}

export function finalReport(job: SyncJob, ending: SyncEnding): FinalReport {
  const about = { app: job.app, cluster: job.cluster, revision: job.revision, ref: job.ref, reason: job.trigger, deliveryId: job.deliveryId };
  switch (ending.kind) {
    case 'result': {
      const { result } = ending;
      const succeeded = result.status === 'Succeeded';
      const summary = `${succeeded ? 'Synced' : 'Sync failed'}, ${result.health}: ${result.message}`;
      const counts = countActions(result.objects);
      const detail = {
        ...about,
        syncStatus: succeeded ? ('Synced' as const) : ('Failed' as const),
        health: result.health,
        durationMs: result.durationMs,
        counts,
        summary,
      };
      const events: FinalReport['events'] = [{ detailType: succeeded ? 'Sync Succeeded' : 'Sync Failed', detail }];
      if (result.health === 'Degraded') events.push({ detailType: 'Health Degraded', detail });
      return { record: recordOf(result, ending.renderKey), status: { state: succeeded ? 'success' : 'failure', description: summary }, events };
    }
    case 'retrying':
      return {
        record: recordOf(ending.result, ending.renderKey),
        status: {
          state: 'pending',
          description: `attempt ${ending.attempt} failed, retrying in ${ending.retryInSeconds}s: ${firstLine(ending.result.message)}`,
        },
        events: [],
      };
    case 'bad-input': {
      const summary = firstLine(ending.message);
      return {
        record: { status: 'Failed', health: 'Unknown', message: `cannot sync: ${ending.message}` },
        status: { state: 'failure', description: summary },
        events: [{ detailType: 'Sync Failed', detail: { ...about, syncStatus: 'Failed', summary } }],
      };
    }
    case 'superseded':
      // What was applied is kept (the inventory), so the newer revision's sync prunes against it.
      return {
        record: { ...recordOf(ending.result, ending.renderKey), status: 'OutOfSync', message: ending.cancellation.message },
        status: { state: 'failure', description: ending.cancellation.status },
        events: [],
      };
    case 'gave-up': {
      const summary = `gave up after ${ending.attempts} attempts: ${firstLine(ending.message)}`;
      return {
        record: {
          status: 'Failed',
          health: 'Unknown',
          message: `gave up after ${ending.attempts} attempts (the job is in the dead-letter queue): ${ending.message}`,
        },
        status: { state: 'error', description: summary },
        events: [{ detailType: 'Sync Failed', detail: { ...about, syncStatus: 'Failed', summary } }],
      };
    }
  }
}

function recordOf(result: ChangeSet, renderKey: string): RecordedResult {
  return {
    status: result.status === 'Succeeded' ? 'Synced' : 'Failed',
    health: result.health,
    message: result.message,
    counts: countActions(result.objects),
    inventory: result.inventory,
    renderKey,
  };
}

export function firstLine(message: string): string {
  return message.split('\n')[0];
}
