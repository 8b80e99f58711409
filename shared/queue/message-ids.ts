// SQS FIFO group and deduplication ids: at most 128 characters of [!-~]. job.ts builds them
// from names; anything longer or outside that alphabet is replaced by its sha256, which is
// equally stable, so the same job still gets the same id.
import { createHash } from 'node:crypto';
import { deduplicationId, messageGroupId, type SyncJob } from './job.ts';

const VALID_ID = /^[\x21-\x7e]{1,128}$/;

export function sqsSafeId(id: string): string {
  return VALID_ID.test(id) ? id : createHash('sha256').update(id).digest('hex');
}

export interface MessageIds {
  groupId: string;
  deduplicationId: string;
}

/** Computed once per job, so a retried entry keeps the deduplication id of its first try. */
export function messageIds(job: SyncJob): MessageIds {
  return { groupId: sqsSafeId(messageGroupId(job)), deduplicationId: sqsSafeId(deduplicationId(job)) };
}
