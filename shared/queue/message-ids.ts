// SQS FIFO group and deduplication ids of a job.
// Group = app@cluster: the jobs of one target (its syncs and drift scans) never run side by
// side and keep their order. A cluster scan has a group per cluster, `_scan@<cluster>`: its
// scans and their continuations keep their order and run beside the targets' syncs, which
// the scan stays clear of by their leases (drift/scan-cluster.ts). Registry refreshes share one group of their own; the previews of
// one pull request share one, `preview@<repository>#<number>`, so a newer head waits for the
// preview in hand, and finds it superseded or not (worker/preview-job.ts). A set's rollout
// steps share `_rollout@<set>`, one step at a time; its timers wait apart, each in a group of
// its own (`_rollout-timer@<set>@<due ms>`): a timer is held back by its visibility timeout, and
// a group delivers nothing behind a message in flight, so a shared group would keep a soon-due
// timer behind a later one, and the set's group a newer push's step (worker/rollout-job.ts).
// Deduplication = app@cluster@revision for a push or config sync (the same push enqueued twice
// syncs once); other jobs add what tells them apart (see deduplicationId).
// SQS allows at most 128 characters of [!-~]; anything longer or outside that alphabet is
// replaced by its sha256, which is equally stable, so the same job still gets the same id.
import { createHash } from 'node:crypto';
import { repoKey } from '../github/repo-url.ts';
import { randomUUID } from 'node:crypto';
import { clusterScanId, pullRequestId, rolloutId, targetId, type Job } from './job.ts';

/** The FIFO group of registry refreshes (kept from when they were a job for app `_registry` on cluster `_config`). */
export const REGISTRY_GROUP = '_registry@_config';

const VALID_ID = /^[\x21-\x7e]{1,128}$/;

export function sqsSafeId(id: string): string {
  return VALID_ID.test(id) ? id : createHash('sha256').update(id).digest('hex');
}

export function messageGroupId(job: Job): string {
  if (job.kind === 'registry-refresh') return REGISTRY_GROUP;
  // The repository by its key: one group whichever way the payload spelt its URL.
  if (job.kind === 'preview') return `preview@${pullRequestId(repoKey(job.repoURL), job.pullRequest)}`;
  if (job.kind === 'cluster-scan') return clusterScanId(job.cluster);
  if (job.kind === 'rollout') return job.dueAt !== undefined ? `_rollout-timer@${job.set}@${Date.parse(job.dueAt)}` : rolloutId(job.set);
  return targetId(job.app, job.cluster);
}

export function deduplicationId(job: Job): string {
  // Once per cluster and period; a continuation is told apart by its count.
  if (job.kind === 'cluster-scan')
    return `${clusterScanId(job.cluster)}@cluster-scan@${job.schedulePeriod}${job.continuation ? `@continue@${job.continuation}` : ''}`;
  // Every rollout message is new work (a start, a member's end, a timer, a person's request): none may be swallowed.
  if (job.kind === 'rollout') return `${messageGroupId(job)}@${job.id}@${job.reason}@${randomUUID()}`;
  const base = `${messageGroupId(job)}@${job.revision}`;
  switch (job.kind) {
    case 'drift-scan':
      return `${base}@drift-scan@${job.schedulePeriod}`;
    case 'delete-app':
      return `${base}@delete-app`;
    case 'app-waves':
      // One per child's finish: two children finishing close together must both be looked at.
      return `${base}@app-waves@${job.child}@${Date.now()}`;
    case 'preview':
      // One per delivery: the webhook acts on a delivery once, and a head previewed again
      // (the pull request reopened, the preview re-run) must not be swallowed as a duplicate.
      return `${base}@preview@${job.deliveryId ?? Date.now()}`;
    case 'registry-refresh':
      return job.trigger === 'config' ? base : `${base}@${job.trigger}@${Date.now()}`;
    case 'sync':
      // A continuation of the same revision must not be swallowed as a duplicate of its push:
      // it is told apart by its count. Self-heal, missed push, manual and rollback syncs are
      // told apart by when they are sent.
      if (job.continuation !== undefined) return `${base}@continue@${job.continuation}`;
      // A push held by its sync window and sent again must not be swallowed as its own duplicate.
      if (job.windowOpenedAt !== undefined) return `${base}@window@${job.windowOpenedAt}`;
      if (job.trigger === 'push' || job.trigger === 'config') return base;
      return `${base}@${job.trigger}@${Date.now()}`;
  }
}

export interface MessageIds {
  groupId: string;
  deduplicationId: string;
}

/** Computed once per job, so a retried entry keeps the deduplication id of its first try. */
export function messageIds(job: Job): MessageIds {
  return { groupId: sqsSafeId(messageGroupId(job)), deduplicationId: sqsSafeId(deduplicationId(job)) };
}
