// A parent's wave plan (app-level sync waves): one item per parent target, in the target's
// partition under sk WAVES. Written whole by the parent's sync and by each wave step; those
// run in the parent's FIFO group, one at a time, so a plain put is enough.
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { wavePlanKey } from './keys.ts';
import type { Table } from './table.ts';
import type { TargetRef, WavePlan } from './types.ts';

export async function getWavePlan(table: Table, target: TargetRef): Promise<WavePlan | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: wavePlanKey(target), ConsistentRead: true }));
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...plan } = Item;
  return plan as WavePlan;
}

export async function putWavePlan(table: Table, plan: WavePlan): Promise<void> {
  await table.doc.send(new PutCommand({ TableName: table.name, Item: { ...wavePlanKey(plan), ...plan } }));
}

export async function removeWavePlan(table: Table, target: TargetRef): Promise<void> {
  await table.doc.send(new DeleteCommand({ TableName: table.name, Key: wavePlanKey(target) }));
}
