// Forgetting a target whose app left the registry and whose resources are gone: its state
// item goes (and its wave plan, if it was a parent), its history stays (what happened to the
// cluster is still worth reading).
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { targetKey } from './keys.ts';
import type { Table } from './table.ts';
import type { TargetRef } from './types.ts';
import { removeWavePlan } from './wave-plan.ts';

export async function removeTarget(table: Table, target: TargetRef): Promise<void> {
  await table.doc.send(new DeleteCommand({ TableName: table.name, Key: targetKey(target) }));
  await removeWavePlan(table, target);
}
