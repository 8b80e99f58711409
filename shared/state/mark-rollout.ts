// A target joins a set's rollout: its `rollout` attribute names the rollout and the commit it is
// to be synced at (one UpdateItem, as requestSync is). The commit is not requested yet — the
// rollout requests it when the target's step starts it — so the target's own request fields, and
// a sync of an older commit still under way, are untouched; such a sync sees the newer mark on
// the item (a sync of a superseded rollout stops waiting for health on it).
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TargetRollout } from '../rollout/types.ts';
import { targetKey } from './keys.ts';
import type { Table } from './table.ts';
import type { TargetRef } from './types.ts';
import { buildUpdate } from './update-expression.ts';

export async function markRollout(table: Table, target: TargetRef, rollout: TargetRollout): Promise<void> {
  const update = buildUpdate({
    set: {
      app: target.app,
      cluster: target.cluster,
      rollout: { set: rollout.set, id: rollout.id, revision: rollout.revision },
      updatedAt: new Date(table.now()).toISOString(),
    },
  });
  await table.doc.send(new UpdateCommand({ TableName: table.name, Key: targetKey(target), ...update }));
}
