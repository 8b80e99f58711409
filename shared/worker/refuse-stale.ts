// Carries out the replay rule (policy/replay.ts) for a sync job: asks the sources whether the
// pushed revision is in the history of the applied one and, when it is, applies nothing,
// records why on the target, takes back the request the webhook made for it, and ends the
// message (a replay is never retried).
import { isBadInput } from '../errors/bad-input.ts';
import type { SyncJob } from '../queue/job.ts';
import type { TargetRef, TargetState } from '../state/types.ts';
import type { WorkerDependencies } from './dependencies.ts';
import { type AncestryQuestion, staleRevisionMessage, syncReplayQuestion } from './policy/replay.ts';

/** True when the job's revision is stale and nothing may be applied. */
export async function refuseStale(job: SyncJob, ref: TargetRef, repoURL: string, current: TargetState | undefined, deps: WorkerDependencies): Promise<boolean> {
  const question = syncReplayQuestion(job, current?.revision);
  if (!question || !(await isStaleRevision(repoURL, question, deps))) return false;
  const message = staleRevisionMessage(job.revision, question.descendant);
  deps.logger.warn(`push refused: ${message}`, {
    app: job.app,
    cluster: job.cluster,
    revision: job.revision,
    appliedRevision: question.descendant,
    deliveryId: job.deliveryId,
    trigger: job.trigger,
  });
  await deps.store.putTargetState({ ...ref, message });
  await deps.store.withdrawRequest(ref, job.revision, question.descendant);
  return true;
}

/**
 * The repository's answer to a replay question: true only when it says the revision is in the
 * applied one's history. Shared by sync jobs and registry refreshes.
 */
export async function isStaleRevision(repoURL: string, question: AncestryQuestion, deps: WorkerDependencies): Promise<boolean> {
  if (!deps.sources.isAncestor) return false;
  try {
    return (await deps.sources.isAncestor(repoURL, question.ancestor, question.descendant)) === true;
  } catch (error) {
    // A repository that cannot be read is the fetch's that follows to report, as bad input.
    if (!isBadInput(error)) throw error;
    return false;
  }
}
