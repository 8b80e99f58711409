// One item per sync under the target's partition, keyed by the target's history counter
// (`historySeq` on its STATE item, bumped by the write that records the result:
// record-sync.ts), so the newest entry sorts first and the entry that falls beyond the
// limit is known by its key: appending is one BatchWriteItem (the entry, and the one it
// pushes out) with no read. The partition keeps the newest `keep`.
//
// Releases before keyed entries by finish time (`HISTORY#<ISO time>#<id>`) and trimmed them
// with a Query. The first record on such a target adopts them once (adoptLegacyHistory), so a
// partition never lists both kinds (keys.ts: how they sort, and why that suits a rollback).
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { historySeqKey, HISTORY_PREFIX, isHistorySeqKey, targetKey, type ItemKey } from './keys.ts';
import { epochSeconds, type Table } from './table.ts';
import type { HistoryEntry, SyncSummary, TargetRef } from './types.ts';
import { StateError } from './errors.ts';

export const DEFAULT_HISTORY_LIMIT = 50;
/**
 * History items expire on their own (the table's TTL attribute `expiresAt`) after this, so a
 * target removed from the registry, whose history is never trimmed again, does not keep it forever
 * (nor an entry whose BatchWriteItem failed after its counter moved: its delete never comes).
 */
export const HISTORY_TTL_SECONDS = 180 * 24 * 3600;
/**
 * Where a target's counter starts (its first entry is HISTORY_BASE + 1): the counters below are
 * the room an adopted time-keyed history takes (at most `keep - 1` entries, newest at HISTORY_BASE).
 */
export const HISTORY_BASE = 1000;
/** BatchWriteItem's maximum. */
const BATCH = 25;
const UNPROCESSED_RETRIES = 5;

export function historyEntry(record: SyncSummary): HistoryEntry {
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

/**
 * The counters to delete when entry `seq` is written with `keep`, the partition having been
 * trimmed to `keptBefore` until now: the one that falls out, and all a lowered limit lets go.
 */
export function countersBeyond(seq: number, keptBefore: number, keep: number): number[] {
  const counters: number[] = [];
  for (let counter = Math.max(1, seq - Math.max(keptBefore, keep)); counter <= seq - keep; counter++) counters.push(counter);
  return counters;
}

/** Writes entry `seq` and deletes the entries at `beyond` (counters), in as few BatchWriteItems as that takes (one, usually). */
export async function writeHistoryEntry(table: Table, entry: HistoryEntry, seq: number, beyond: readonly number[]): Promise<void> {
  const writes: WriteRequest[] = [
    { PutRequest: { Item: historyItem(table, entry, seq) } },
    ...beyond.map((counter) => ({ DeleteRequest: { Key: historySeqKey(entry, counter) } })),
  ];
  for (let start = 0; start < writes.length; start += BATCH) await batchWrite(table, writes.slice(start, start + BATCH));
}

function historyItem(table: Table, entry: HistoryEntry, seq: number): ItemKey & Record<string, unknown> {
  return { ...historySeqKey(entry, seq), ...entry, expiresAt: epochSeconds(table.now()) + HISTORY_TTL_SECONDS };
}

function entryOf({ pk: _pk, sk: _sk, expiresAt: _expiresAt, ...entry }: Record<string, unknown>): HistoryEntry {
  return entry as unknown as HistoryEntry;
}

export async function listHistory(table: Table, target: TargetRef, limit: number): Promise<HistoryEntry[]> {
  const { Items } = await table.doc.send(new QueryCommand({ ...historyQuery(table, target), ScanIndexForward: false, Limit: limit }));
  return (Items ?? []).map(entryOf);
}

/**
 * A target whose history a release before the counter wrote, on its first record since: its
 * time-keyed entries, newest first, are written again under the counters just below the new
 * entry's (HISTORY_BASE, HISTORY_BASE - 1, …; the newest `keep - 1`, so with the new entry the
 * partition holds `keep`) and their old keys deleted. Returns the newest DEFAULT_HISTORY_LIMIT
 * of them as they were, for the DORA state. Once per target: its counter exists afterwards.
 */
export async function adoptLegacyHistory(table: Table, target: TargetRef, keep: number): Promise<HistoryEntry[]> {
  const legacy: Array<ItemKey & Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await table.doc.send(
      new QueryCommand({ ...historyQuery(table, target), ScanIndexForward: false, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) if (!isHistorySeqKey(String(item.sk))) legacy.push(item as ItemKey & Record<string, unknown>);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  // Newest first by key, as they were listed (time keys sort by finish time).
  legacy.sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
  const entries = legacy.map(entryOf);
  const writes: WriteRequest[] = [
    ...entries.slice(0, Math.max(0, keep - 1)).map((entry, index) => ({ PutRequest: { Item: historyItem(table, entry, HISTORY_BASE - index) } })),
    ...legacy.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
  ];
  for (let start = 0; start < writes.length; start += BATCH) await batchWrite(table, writes.slice(start, start + BATCH));
  return entries.slice(0, DEFAULT_HISTORY_LIMIT);
}

function historyQuery(table: Table, target: TargetRef) {
  return {
    TableName: table.name,
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': targetKey(target).pk, ':prefix': HISTORY_PREFIX },
  };
}

type WriteRequest = { DeleteRequest: { Key: ItemKey } } | { PutRequest: { Item: Record<string, unknown> } };

/** One BatchWriteItem of at most BATCH requests, its unprocessed ones retried with backoff. */
async function batchWrite(table: Table, writes: WriteRequest[]): Promise<void> {
  let requests = writes;
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > UNPROCESSED_RETRIES) throw new StateError(`history write: ${requests.length} writes stayed unprocessed after ${UNPROCESSED_RETRIES} retries`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    const { UnprocessedItems } = await table.doc.send(new BatchWriteCommand({ RequestItems: { [table.name]: requests } }));
    requests = (UnprocessedItems?.[table.name] ?? []) as typeof requests;
  }
}
