// The replay rule. A push's signature covers its body, not its delivery id, so a captured body
// can be posted again long after (past every deduplication window) to roll a target, or the
// registry, back to the commit it named. GitHub delivers the pushes of a branch in order, so a
// push-triggered revision that is already in the history of the revision applied is never new
// work: it is a replay or arrived out of order, and is not applied.
//
// Only revisions a webhook delivery carries are checked: a push-triggered sync and a registry
// refresh the config push asked for. Manual syncs and rollbacks choose old commits on purpose;
// config syncs follow the (checked) registry, missed-push and self-heal read the branch head
// from GitHub themselves, continuations go on with a revision already checked. No question is
// asked when nothing was applied yet or the revision is the applied one (re-applying it
// changes nothing), so a job costs one comparison at most.
//
// The answer comes from the repository (sources.isAncestor: GitHub's compare API, or
// `git merge-base --is-ancestor` locally): a revision behind or identical to the applied one is
// stale; ahead of it, or diverged from it (a force push), goes on. When the repository knows
// either commit not, the job goes on and the fetch says what is missing.
import type { RegistryRefreshJob, SyncJob } from '../../queue/job.ts';

/** Is `ancestor` in the history of `descendant`? A yes means the job's revision is stale. */
export interface AncestryQuestion {
  ancestor: string;
  descendant: string;
}

/** The question to ask before a sync job applies its revision over `applied`, or undefined when none is needed. */
export function syncReplayQuestion(job: SyncJob, applied: string | undefined): AncestryQuestion | undefined {
  if (job.trigger !== 'push' || job.continuation !== undefined) return undefined;
  return question(job.revision, applied);
}

/** The same for a registry refresh over the registry's recorded revision. */
export function registryReplayQuestion(job: RegistryRefreshJob, recorded: string | undefined): AncestryQuestion | undefined {
  if (job.trigger !== 'config') return undefined;
  return question(job.revision, recorded);
}

/** What is recorded and logged for a stale revision. */
export function staleRevisionMessage(revision: string, applied: string): string {
  return `revision ${revision.slice(0, 7)} is older than the applied ${applied.slice(0, 7)}: not applied (a replayed or out-of-order push)`;
}

function question(revision: string, applied: string | undefined): AncestryQuestion | undefined {
  if (!applied || applied.toLowerCase() === revision.toLowerCase()) return undefined;
  return { ancestor: revision, descendant: applied };
}
