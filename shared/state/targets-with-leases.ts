// The states and sync leases of many targets in as few requests as DynamoDB allows: the lease
// is on the target's STATE item (lease.ts), so one BatchGetItem of 100 targets answers both,
// and a cluster scan learns which targets a sync holds from the read it makes anyway. Consistent
// reads, as getTarget and getLease make.
//
// Lease items of an older release (legacy-lease.ts) are not read: a worker of that release
// still marks its target Syncing when it begins, which the scan's second read before recording
// drift (shared/drift/scan-cluster.ts) finds, and none is left 17 minutes after the upgrade.
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { targetId } from '../queue/job.ts';
import { targetKey, type ItemKey } from './keys.ts';
import { leaseFromItem } from './lease.ts';
import { targetFromItem } from './target-item.ts';
import type { Table } from './table.ts';
import type { LeaseRecord, TargetRef, TargetState } from './types.ts';

/** BatchGetItem's limit of keys per request. */
const KEYS_PER_REQUEST = 100;
/** Rounds of UnprocessedKeys (throttling) before the read gives up. */
const MAX_ROUNDS = 8;

export interface TargetWithLease {
  target?: TargetState;
  /** The sync holding the target now; an expired lease reads as none. */
  lease?: LeaseRecord;
}

/** By targetId (`app@cluster`); every ref asked for has an entry. */
export async function getTargetsWithLeases(table: Table, refs: readonly TargetRef[]): Promise<Map<string, TargetWithLease>> {
  const result = new Map<string, TargetWithLease>(refs.map((ref) => [targetId(ref.app, ref.cluster), {}]));
  const owners = new Map<string, string>();
  const keys: ItemKey[] = [];
  for (const ref of refs) {
    const key = targetKey(ref);
    if (owners.has(key.pk)) continue;
    owners.set(key.pk, targetId(ref.app, ref.cluster));
    keys.push(key);
  }
  const now = table.now();
  for (let start = 0; start < keys.length; start += KEYS_PER_REQUEST) {
    let pending: ItemKey[] = keys.slice(start, start + KEYS_PER_REQUEST);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) throw new Error(`reading ${pending.length} target items from ${table.name}: still unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      const answer = await table.doc.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending, ConsistentRead: true } } }));
      for (const item of answer.Responses?.[table.name] ?? []) {
        const id = owners.get(String(item.pk));
        const entry = id === undefined ? undefined : result.get(id);
        if (!entry) continue;
        entry.target = targetFromItem(item);
        const lease = leaseFromItem(item, now);
        if (lease) entry.lease = lease;
      }
      pending = (answer.UnprocessedKeys?.[table.name]?.Keys ?? []) as ItemKey[];
    }
  }
  return result;
}
