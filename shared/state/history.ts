// One item per sync under the target's partition, sorted by time. The partition keeps the
// newest `keep` entries: after each append, whatever lies beyond them is deleted.
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { historyKey, HISTORY_PREFIX, targetKey, type ItemKey } from './keys.ts';
import { epochSeconds, type Table } from './table.ts';
import type { HistoryEntry, SyncSummary, TargetRef } from './types.ts';
import { StateError } from './errors.ts';

export const DEFAULT_HISTORY_LIMIT = 50;
/**
 * History items expire on their own (the table's TTL attribute `expiresAt`) after this, so a
 * target removed from the registry, whose history is never trimmed again, does not keep it forever.
 */
export const HISTORY_TTL_SECONDS = 180 * 24 * 3600;
/** BatchWriteItem's maximum. */
const DELETE_BATCH = 25;
const UNPROCESSED_RETRIES = 5;

export async function appendHistory(table: Table, record: SyncSummary): Promise<HistoryEntry> {
  const entry: HistoryEntry = {
    app: record.app,
    cluster: record.cluster,
    id: randomUUID().slice(0, 8),
    revision: record.revision,
    status: record.status,
    health: record.health,
    message: record.message,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    durationMs: record.durationMs,
    reason: record.reason,
    counts: record.counts ?? {},
    sources: record.sources,
    committedAt: record.committedAt,
  };
  await table.doc.send(
    new PutCommand({
      TableName: table.name,
      Item: { ...historyKey(record, record.finishedAt, entry.id), ...entry, expiresAt: epochSeconds(table.now()) + HISTORY_TTL_SECONDS },
    }),
  );
  return entry;
}

export async function listHistory(table: Table, target: TargetRef, limit: number): Promise<HistoryEntry[]> {
  const { Items } = await table.doc.send(new QueryCommand({ ...historyQuery(table, target), ScanIndexForward: false, Limit: limit }));
  return (Items ?? []).map(({ pk: _pk, sk: _sk, expiresAt: _expiresAt, ...entry }) => entry as HistoryEntry);
}

/** Deletes all but the newest `keep` entries; returns how many went. */
export async function trimHistory(table: Table, target: TargetRef, keep: number): Promise<number> {
  // Skip the newest `keep` keys, then delete page by page whatever comes after them.
  const newest = await table.doc.send(
    new QueryCommand({ ...historyQuery(table, target), ScanIndexForward: false, Limit: keep, ProjectionExpression: '#pk, #sk' }),
  );
  let startKey = newest.LastEvaluatedKey;
  let deleted = 0;
  while (startKey) {
    const older = await table.doc.send(
      new QueryCommand({
        ...historyQuery(table, target),
        ScanIndexForward: false,
        Limit: DELETE_BATCH,
        ProjectionExpression: '#pk, #sk',
        ExclusiveStartKey: startKey,
      }),
    );
    const keys = (older.Items ?? []) as ItemKey[];
    await deleteKeys(table, keys);
    deleted += keys.length;
    startKey = older.LastEvaluatedKey;
  }
  return deleted;
}

function historyQuery(table: Table, target: TargetRef) {
  return {
    TableName: table.name,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': targetKey(target).pk, ':prefix': HISTORY_PREFIX },
  };
}

async function deleteKeys(table: Table, keys: ItemKey[]): Promise<void> {
  let requests = keys.map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } }));
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > UNPROCESSED_RETRIES) throw new StateError(`history trim: ${requests.length} deletes stayed unprocessed after ${UNPROCESSED_RETRIES} retries`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    const { UnprocessedItems } = await table.doc.send(new BatchWriteCommand({ RequestItems: { [table.name]: requests } }));
    requests = (UnprocessedItems?.[table.name] ?? []) as typeof requests;
  }
}
