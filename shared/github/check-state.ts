// Which check-run status and conclusion a post means. A commit status has four states; a check
// run has a lifecycle (queued → in_progress → completed) and finer conclusions, which GitHub
// defines as:
//   success    the sync applied the commit and everything is healthy;
//   failure    it did not: an object failed, the manifests are wrong, or the retries ran out
//              (the job went to the dead-letter queue: GitHub has no "error" conclusion, and
//              branch protection must not take it for anything but a failure);
//   timed_out  nothing failed, but the objects were still progressing when the sync's time ran
//              out ("the check run timed out");
//   cancelled  a newer commit was requested before this one was applied ("cancelled before it
//              completed"): not a failure of this commit, and never success;
// and a sync window hold stays `queued`, since the sync runs when the window opens: its check
// is not done, so neither `neutral` nor any other conclusion would be true.
import type { CheckDetails } from './check-details.ts';
import type { CommitState } from './status.ts';

export type CheckRunStatus = 'queued' | 'in_progress' | 'completed';
export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'cancelled' | 'timed_out' | 'action_required' | 'skipped';

export type CheckState = { status: 'queued' } | { status: 'in_progress' } | { status: 'completed'; conclusion: CheckConclusion };

export function checkState(state: CommitState, details?: Pick<CheckDetails, 'reason' | 'result'>): CheckState {
  if (details?.reason === 'held') return { status: 'queued' };
  if (details?.reason === 'superseded') return { status: 'completed', conclusion: 'cancelled' };
  switch (state) {
    case 'pending':
      return { status: 'in_progress' };
    case 'success':
      return { status: 'completed', conclusion: 'success' };
    case 'failure':
    case 'error':
      return { status: 'completed', conclusion: timedOut(details) ? 'timed_out' : 'failure' };
  }
}

/** A failed sync in which no object failed and none is degraded: it stopped waiting for health. */
function timedOut(details?: Pick<CheckDetails, 'result'>): boolean {
  const result = details?.result;
  if (!result || result.status !== 'Failed' || result.objects.length === 0) return false;
  const waiting = result.objects.some((object) => object.health === 'Progressing');
  return waiting && result.health === 'Progressing' && !result.objects.some((object) => object.action === 'failed');
}
