// Many targets' states in as few requests as DynamoDB allows (BatchGetItem, 100 keys a request),
// consistent reads as getTarget makes: a rollout step reads its step's targets this way, never
// one GetItem per target.
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { targetId } from '../queue/job.ts';
import { targetKey, type ItemKey } from './keys.ts';
import { targetFromItem } from './target-item.ts';
import type { Table } from './table.ts';
import type { TargetRef, TargetState } from './types.ts';

const KEYS_PER_REQUEST = 100;
/** Rounds of UnprocessedKeys (throttling) before the read gives up. */
const MAX_ROUNDS = 8;

/** By targetId (`app@cluster`); a target without an item has no entry. */
export async function getTargets(table: Table, refs: readonly TargetRef[]): Promise<Map<string, TargetState>> {
  const result = new Map<string, TargetState>();
  const keys = [...new Map(refs.map((ref) => [targetId(ref.app, ref.cluster), targetKey(ref)])).values()];
  for (let start = 0; start < keys.length; start += KEYS_PER_REQUEST) {
    let pending: ItemKey[] = keys.slice(start, start + KEYS_PER_REQUEST);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) throw new Error(`reading ${pending.length} target items from ${table.name}: still unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
      const answer = await table.doc.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending, ConsistentRead: true } } }));
      for (const item of answer.Responses?.[table.name] ?? []) {
        const state = targetFromItem(item);
        result.set(targetId(state.app, state.cluster), state);
      }
      pending = (answer.UnprocessedKeys?.[table.name]?.Keys ?? []) as ItemKey[];
    }
  }
  return result;
}
