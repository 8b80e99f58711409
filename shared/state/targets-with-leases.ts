// The states and sync leases of many targets in as few requests as DynamoDB allows: both items
// of each target in the same BatchGetItem (100 keys, so 50 targets, a request), so a cluster
// scan learns which targets a sync holds from the read it makes anyway, with no request per
// target. Consistent reads, as getTarget and getLease make.
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { targetId } from '../queue/job.ts';
import { leaseKey, targetKey, type ItemKey } from './keys.ts';
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
    const id = targetId(ref.app, ref.cluster);
    for (const key of [targetKey(ref), leaseKey(ref)]) {
      owners.set(`${key.pk}\u0000${key.sk}`, id);
      keys.push(key);
    }
  }
  const now = table.now();
  for (let start = 0; start < keys.length; start += KEYS_PER_REQUEST) {
    let pending: ItemKey[] = keys.slice(start, start + KEYS_PER_REQUEST);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS)
        throw new Error(`reading ${pending.length} target and lease items from ${table.name}: still unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      const answer = await table.doc.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending, ConsistentRead: true } } }));
      for (const item of answer.Responses?.[table.name] ?? []) {
        const id = owners.get(`${String(item.pk)}\u0000${String(item.sk)}`);
        const entry = id === undefined ? undefined : result.get(id);
        if (!entry) continue;
        if (String(item.pk).startsWith('LEASE#')) {
          if (Number(item.expiresAtMs) >= now) entry.lease = { owner: String(item.owner), expiresAtMs: Number(item.expiresAtMs) };
        } else {
          entry.target = targetFromItem(item);
        }
      }
      pending = (answer.UnprocessedKeys?.[table.name]?.Keys ?? []) as ItemKey[];
    }
  }
  return result;
}
