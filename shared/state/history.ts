// One item per sync under the target's partition, sorted by time. The partition keeps the
// newest `keep` entries: after each append, whatever lies beyond them is deleted.
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, PutCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
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
  const entry = historyEntry(record);
  await table.doc.send(new PutCommand({ TableName: table.name, Item: historyItem(table, entry) }));
  return entry;
}

/**
 * Appends `record` and trims the partition to the newest `keep`, reading the history once
 * (before the append): two requests where append, list and trim took three. Returns the
 * newest `read` entries as they stood before the append, newest first.
 */
export async function appendAndTrimHistory(
  table: Table,
  record: SyncSummary,
  options: { keep: number; read: number },
): Promise<{ entry: HistoryEntry; earlier: HistoryEntry[] }> {
  const entry = historyEntry(record);
  const item = historyItem(table, entry);
  // One more than kept: a partition at its limit (the usual state) answers without a next page.
  const newest = await table.doc.send(
    new QueryCommand({ ...historyQuery(table, record), ScanIndexForward: false, Limit: Math.max(options.keep, options.read) + 1 }),
  );
  const items = (newest.Items ?? []) as Array<ItemKey & Record<string, unknown>>;
  // The newest `keep` after the append, by sort key as the partition orders them (the new entry is
  // usually, not always, the newest: a result recorded late sorts by when it finished).
  const sorted = [...items, item].sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
  const beyond = sorted.slice(options.keep);
  const written = !beyond.includes(item);
  const writes = [
    ...(written ? [{ PutRequest: { Item: item } }] : []),
    ...beyond.filter((old) => old !== item).map((old) => ({ DeleteRequest: { Key: { pk: old.pk, sk: old.sk } } })),
  ];
  for (let start = 0; start < writes.length; start += DELETE_BATCH) await batchWrite(table, writes.slice(start, start + DELETE_BATCH));
  // More than the page read: entries a trim that failed left behind, deleted as trimHistory does.
  if (newest.LastEvaluatedKey) await deleteFrom(table, record, newest.LastEvaluatedKey);
  return { entry, earlier: items.slice(0, options.read).map(entryOf) };
}

function historyEntry(record: SyncSummary): HistoryEntry {
  return {
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
}

function historyItem(table: Table, entry: HistoryEntry): ItemKey & Record<string, unknown> {
  return { ...historyKey(entry, entry.finishedAt, entry.id), ...entry, expiresAt: epochSeconds(table.now()) + HISTORY_TTL_SECONDS };
}

function entryOf({ pk: _pk, sk: _sk, expiresAt: _expiresAt, ...entry }: Record<string, unknown>): HistoryEntry {
  return entry as unknown as HistoryEntry;
}

export async function listHistory(table: Table, target: TargetRef, limit: number): Promise<HistoryEntry[]> {
  const { Items } = await table.doc.send(new QueryCommand({ ...historyQuery(table, target), ScanIndexForward: false, Limit: limit }));
  return (Items ?? []).map(entryOf);
}

/** Deletes all but the newest `keep` entries; returns how many went. */
export async function trimHistory(table: Table, target: TargetRef, keep: number): Promise<number> {
  // Skip the newest `keep` keys, then delete page by page whatever comes after them.
  const newest = await table.doc.send(
    new QueryCommand({ ...historyQuery(table, target), ScanIndexForward: false, Limit: keep, ProjectionExpression: '#pk, #sk' }),
  );
  return newest.LastEvaluatedKey ? deleteFrom(table, target, newest.LastEvaluatedKey) : 0;
}

/** Deletes every history entry after `startKey` (newest first); returns how many went. */
async function deleteFrom(table: Table, target: TargetRef, from: Record<string, unknown>): Promise<number> {
  let startKey: Record<string, unknown> | undefined = from;
  let deleted = 0;
  while (startKey) {
    const older: QueryCommandOutput = await table.doc.send(
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
  await batchWrite(
    table,
    keys.map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } })),
  );
}

type WriteRequest = { DeleteRequest: { Key: ItemKey } } | { PutRequest: { Item: Record<string, unknown> } };

/** One BatchWriteItem of at most DELETE_BATCH requests, its unprocessed ones retried with backoff. */
async function batchWrite(table: Table, writes: WriteRequest[]): Promise<void> {
  let requests = writes;
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > UNPROCESSED_RETRIES) throw new StateError(`history write: ${requests.length} writes stayed unprocessed after ${UNPROCESSED_RETRIES} retries`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    const { UnprocessedItems } = await table.doc.send(new BatchWriteCommand({ RequestItems: { [table.name]: requests } }));
    requests = (UnprocessedItems?.[table.name] ?? []) as typeof requests;
  }
}
