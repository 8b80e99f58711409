// A job that stands down because a newer commit was requested. Normally it stands down before
// it said anything about its commit, and nothing is posted. But a job that started, failed an
// attempt and went back to the queue has left "Syncing" or "retrying" pending on its commit:
// without a last word, GitHub shows that commit pending forever (bench:soak found 51 of 200).
// The last word is `failure`, as for any commit that was not applied (the hold rule says the
// same): never `success`, which would claim a deploy that did not happen.
import type { PostedStatus } from '../../state/types.ts';

export function supersededStatus(revision: string, requestedRevision: string | undefined, lastPosted: PostedStatus | undefined): string | undefined {
  if (lastPosted?.sha !== revision || lastPosted.state !== 'pending') return undefined;
  const newer = requestedRevision ? ` by ${requestedRevision.slice(0, 7)}` : '';
  return `superseded${newer} before it was applied: not applied`;
}
