// Reads and writes of a target's state item, including the guards that make "a newer commit
// wins" hold although SQS, Lambda and the webhook may each run twice or late:
//
// 1. requestSync (webhook, before it enqueues): ADD 1 to `requestSeq` and SET
//    `requestedRevision` in one UpdateItem. Increments are atomic, so every request gets its
//    own number and the last request to reach DynamoDB holds the highest one and names the
//    commit the target must end on. (Requests are ordered by when the webhook handled them;
//    GitHub delivers the pushes of one branch in order.)
// 2. The claim (claim.ts; beginSync here is the same guard without the lease): proceeds only
//    while `requestedRevision` is still the job's revision. A job for an older commit that is
//    still queued stands down: the newer commit's job is behind it in the same FIFO group. The
//    answer carries the `requestSeq` the sync works for.
// 3. The record (record-sync.ts; writeSyncResult here is its result alone): writes the result
//    only if no result of a newer request is recorded (`appliedSeq <= seq`), so a sync that
//    outlived its lease cannot overwrite the newer one.
import { ScanCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { targetKey, TARGET_PREFIX, TARGET_STATE_SK } from './keys.ts';
import { attributeOf, resultAttributes, targetAttributes, targetFromItem } from './target-item.ts';
import { conditional, isConditionFailed, type Table } from './table.ts';
import { buildUpdate, ExpressionBuilder } from './update-expression.ts';
import type { SyncRecord, SyncStart, TargetField, TargetRef, TargetState, TargetUpdate } from './types.ts';

export async function getTarget(table: Table, target: TargetRef): Promise<TargetState | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: targetKey(target), ConsistentRead: true }));
  return Item ? targetFromItem(Item) : undefined;
}

export async function listTargets(table: Table): Promise<TargetState[]> {
  const targets: TargetState[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new ScanCommand({
        TableName: table.name,
        FilterExpression: 'begins_with(#pk, :prefix) AND #sk = :sk',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':prefix': TARGET_PREFIX, ':sk': TARGET_STATE_SK },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) targets.push(targetFromItem(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return targets;
}

export async function putTargetState(table: Table, update: TargetUpdate, remove: TargetField[] = []): Promise<void> {
  const set: Record<string, unknown> = { ...targetAttributes(update), updatedAt: new Date(table.now()).toISOString() };
  // A field both given and listed for removal is given: DynamoDB rejects overlapping paths.
  const removed = remove.map(attributeOf).filter((attribute) => set[attribute] === undefined);
  if (remove.includes('driftedObjects') && set.driftedCount === undefined) removed.push('driftedCount');
  await table.doc.send(new UpdateCommand({ TableName: table.name, Key: targetKey(update), ...buildUpdate({ set, remove: removed }) }));
}

export async function requestSync(table: Table, target: TargetRef, revision: string): Promise<number> {
  const update = buildUpdate({
    set: { app: target.app, cluster: target.cluster, requestedRevision: revision, updatedAt: new Date(table.now()).toISOString() },
    add: { requestSeq: 1 },
  });
  const { Attributes } = await table.doc.send(new UpdateCommand({ TableName: table.name, Key: targetKey(target), ...update, ReturnValues: 'UPDATED_NEW' }));
  return Number(Attributes?.requestSeq);
}

export async function beginSync(table: Table, target: TargetRef, revision: string): Promise<SyncStart> {
  const now = new Date(table.now()).toISOString();
  const builder = new ExpressionBuilder();
  // A target nobody requested a commit for yet (first sync from the registry) starts at seq 0.
  const update = buildUpdate(
    {
      set: { app: target.app, cluster: target.cluster, syncStatus: 'Syncing', lastSyncStartedAt: now, updatedAt: now },
      setIfMissing: { requestedRevision: revision, requestSeq: 0 },
    },
    builder,
  );
  const requested = builder.name('requestedRevision');
  const condition = `attribute_not_exists(${requested}) OR ${requested} = ${builder.value(revision)}`;
  try {
    const { Attributes } = await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: targetKey(target),
        ...update,
        ...builder.attributes(),
        ConditionExpression: condition,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { started: true, seq: Number(Attributes?.requestSeq ?? 0) };
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    const state = await getTarget(table, target);
    return { started: false, requestedRevision: state?.requestedRevision ?? '' };
  }
}

/**
 * The result's fields alone (record-sync.ts writes them with the rest of a record; this is its
 * fallback's): writes the result's fields onto the target (and `also.namespace`, the destination namespace,
 * when it is new to the target); false when a newer request's result is already there.
 */
export async function writeSyncResult(table: Table, record: SyncRecord, also: { namespace?: string } = {}): Promise<boolean> {
  const builder = new ExpressionBuilder();
  const set = resultAttributes(record, also.namespace);
  const update = buildUpdate({ set: { ...set, appliedSeq: record.seq, updatedAt: new Date(table.now()).toISOString() } }, builder);
  const applied = builder.name('appliedSeq');
  const condition = `attribute_not_exists(${applied}) OR ${applied} <= ${builder.value(record.seq)}`;
  return conditional(
    table.doc.send(new UpdateCommand({ TableName: table.name, Key: targetKey(record), ...update, ...builder.attributes(), ConditionExpression: condition })),
  );
}
