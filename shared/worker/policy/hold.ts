// The pin/suspend rule. A target pinned by `driftless rollback` or stopped by `driftless
// suspend` takes no automated sync (push, config, missed-push, self-heal) until `driftless
// resume`; manual syncs, rollbacks and continuations always go ahead.
//
// A held automated job changes nothing in the cluster or the recorded result, and the skipped
// commit gets a `failure` status naming the hold and the way out (not `pending`, which would
// never resolve; not `success`, which would claim a deploy that did not happen). Self-heal
// posts nothing: its commit is the one already applied, whose status stays as it was.
// A manual or rollback job for the pinned commit claims it again if a push requested another
// commit meanwhile (the webhook always requests), so a rollback is never stood down by a push.
import { isAutomatedSync, targetId, type SyncJob } from '../../queue/job.ts';
import type { TargetFields, TargetState } from '../../state/types.ts';

export type HoldDecision =
  /** `reclaim`: request the job's revision again before starting (it is the pin, and a push asked for another). */
  | { action: 'go'; reclaim: boolean }
  | {
      action: 'skip';
      /** `pinned to abc1234` or `suspended`, for the log. */
      hold: string;
      /** Fields to write on the target, if any. */
      update?: Partial<TargetFields>;
      /** The description of the `failure` status to post on the job's commit, if any. */
      failure?: string;
    };

export function decideHold(job: SyncJob, target: TargetState | undefined, namespace: string): HoldDecision {
  const pinned = target?.pinnedRevision;
  if (!pinned && !target?.suspended) return { action: 'go', reclaim: false };
  if (!isAutomatedSync(job)) return { action: 'go', reclaim: pinned === job.revision && target?.requestedRevision !== job.revision };

  const hold = pinned ? `pinned to ${pinned.slice(0, 7)}` : 'suspended';
  let update: Partial<TargetFields> | undefined;
  if (pinned) {
    // The webhook requested this commit; the pin stays the commit the target must end on.
    if (target?.requestedRevision === job.revision && job.revision !== pinned) update = { requestedRevision: pinned };
  } else if (job.revision !== target?.revision && job.trigger !== 'self-heal') {
    update = { namespace, syncStatus: 'OutOfSync', message: `suspended: revision ${job.revision.slice(0, 7)} not applied (driftless resume ${job.app})` };
  }
  const failure =
    job.trigger !== 'self-heal' && job.revision !== pinned
      ? `not applied: ${targetId(job.app, job.cluster)} is ${hold} (driftless resume ${job.app})`
      : undefined;
  return { action: 'skip', hold, update, failure };
}
