// Taking back a request the worker refused (a replayed or out-of-order push): the webhook had
// already made its commit the target's requestedRevision, which would read as a sync pending
// for ever (and hold back self-heal). The request is put back to the applied commit, but only
// while it is still the refused one: a newer push requested since must keep its claim.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { targetKey } from './keys.ts';
import { conditional, type Table } from './table.ts';
import { buildUpdate, ExpressionBuilder } from './update-expression.ts';
import type { TargetRef } from './types.ts';

/** Sets requestedRevision to `restore` if it is `refused`; false when another request came meanwhile. */
export async function withdrawRequest(table: Table, target: TargetRef, refused: string, restore: string): Promise<boolean> {
  const builder = new ExpressionBuilder();
  const update = buildUpdate({ set: { requestedRevision: restore, updatedAt: new Date(table.now()).toISOString() } }, builder);
  const condition = `${builder.name('requestedRevision')} = ${builder.value(refused)}`;
  return conditional(
    table.doc.send(new UpdateCommand({ TableName: table.name, Key: targetKey(target), ...update, ...builder.attributes(), ConditionExpression: condition })),
  );
}
