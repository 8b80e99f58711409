// An ApplicationSet's rollout (shared/rollout/types.ts RolloutState): one fixed-size item per
// set in the ROLLOUT partition (keys.ts), so all of them are one Query. Written by the set's
// rollout steps, which run one at a time in the set's FIFO group, and by a person's promote or
// abort, which do not: every write names the version it read and fails if another came first.
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { RolloutState } from '../rollout/types.ts';
import { ROLLOUT_PK, ROLLOUT_PREFIX, rolloutKey } from './keys.ts';
import { conditional, type Table } from './table.ts';

export async function getRollout(table: Table, set: string): Promise<RolloutState | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: rolloutKey(set), ConsistentRead: true }));
  return Item ? stateOf(Item) : undefined;
}

/** Every set's rollout, by set name. */
export async function listRollouts(table: Table): Promise<RolloutState[]> {
  const states: RolloutState[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': ROLLOUT_PK, ':prefix': ROLLOUT_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) states.push(stateOf(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return states;
}

/**
 * Writes `state` as version `read.version + 1` (1 without `read`) if the item is still at the
 * version read (absent when `read` is undefined); false when another write came first. On a
 * write, `state.version` is set to the new version, so the caller may write it again.
 */
export async function putRollout(table: Table, state: RolloutState, read: RolloutState | undefined): Promise<boolean> {
  const version = (read?.version ?? 0) + 1;
  const item = { ...rolloutKey(state.set), ...state, version };
  const guard: { ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> } =
    read === undefined
      ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'pk' } }
      : read.version === undefined
        ? { ConditionExpression: 'attribute_not_exists(#version)', ExpressionAttributeNames: { '#version': 'version' } }
        : {
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': read.version },
          };
  const written = await conditional(table.doc.send(new PutCommand({ TableName: table.name, Item: item, ...guard })));
  if (written) state.version = version;
  return written;
}

function stateOf(item: Record<string, unknown>): RolloutState {
  const { pk: _pk, sk: _sk, ...state } = item;
  return state as unknown as RolloutState;
}
