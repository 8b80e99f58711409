// The record: one UpdateItem that writes a sync's result onto its target, gives back the lease
// (only while it is still the recorder's), bumps the history counter, and keeps the DORA state
// and the final status the caller is about to post; then one BatchWriteItem appends the history
// entry under that counter and deletes the one it pushes beyond the limit (history.ts). No
// Query: UPDATED_OLD answers what the counter, the limit and the DORA state were before.
//
// The result is written only if no result of a newer request is recorded (`appliedSeq <= seq`,
// target.ts); the history is appended either way (it is a log of what happened to the
// cluster). Without transactions the two cannot share a condition, so when the full write's
// condition fails (rarely: a newer result is there, or the lease was lost), a second write
// bumps the counter and keeps the rest, and the result follows if only the lease was the reason.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DoraState } from '../dora/events.ts';
import { historyEntry, adoptLegacyHistory, countersBeyond, DEFAULT_HISTORY_LIMIT, HISTORY_BASE, listHistory, writeHistoryEntry } from './history.ts';
import { targetKey } from './keys.ts';
import { releaseLease, releaseLegacyLeaseInWindow } from './lease.ts';
import { conditional, isConditionFailed, type Table } from './table.ts';
import { ITEM, resultAttributes } from './target-item.ts';
import { writeSyncResult } from './target.ts';
import { ExpressionBuilder } from './update-expression.ts';
import type { HistoryEntry, PostedStatus, SyncRecord, SyncSummary, TargetRef } from './types.ts';

export interface RecordOptions {
  /** History entries kept. */
  keep: number;
  /** The destination namespace, new to the target: written with the result. */
  namespace?: string;
  /** The lease holder: its lease goes with the record (left alone when another holds it). */
  owner?: string;
  /** The status the caller posts next, recorded as posted (why that is safe: shared/worker/finish.ts). */
  postedStatus?: PostedStatus;
  /** The DORA state with this entry read; absent: none kept, the next record reads the history once. */
  dora?: DoraState;
}

export interface RecordedSync {
  /** Whether the result was written onto the target (false: a newer request's result is there). */
  written: boolean;
  /** The entry's history counter. */
  historySeq: number;
  /** The DORA state as the record found it; undefined when none was kept. */
  doraBefore?: DoraState;
  /**
   * Only when no DORA state was kept though the target has history (a release before the
   * counter wrote it, or a record without `dora`): that history as it stood before this entry,
   * newest first, read once.
   */
  earlier?: HistoryEntry[];
}

export async function recordSync(table: Table, record: SyncRecord, options: RecordOptions): Promise<RecordedSync> {
  let written = true;
  let old: Record<string, unknown>;
  try {
    old = await update(table, record, options, true);
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    old = await update(table, record, options, false);
    // The lease, not a newer result, failed the condition: the result is still this target's.
    const applied = old.appliedSeq === undefined ? undefined : Number(old.appliedSeq);
    written = (applied === undefined || applied <= record.seq) && (await writeSyncResult(table, record, { namespace: options.namespace }));
    if (options.owner !== undefined) await releaseLease(table, record, options.owner);
  }
  if (options.owner !== undefined) await releaseLegacyLeaseInWindow(table, record, options.owner);
  const seq = Number(old[ITEM.historySeq] ?? HISTORY_BASE) + 1;
  const keptBefore = Number(old[ITEM.historyKeep] ?? options.keep);
  const doraBefore = old[ITEM.doraState] as DoraState | undefined;
  // History without a DORA state: read once (adopted, when its keys are the time keys of a release before the counter).
  let earlier: HistoryEntry[] | undefined;
  if (old[ITEM.historySeq] === undefined && old.lastSyncFinishedAt !== undefined) earlier = await adoptLegacyHistory(table, record, options.keep);
  else if (old[ITEM.historySeq] !== undefined && doraBefore === undefined) earlier = await listHistory(table, record, DEFAULT_HISTORY_LIMIT);
  await writeHistoryEntry(table, historyEntry(record), seq, countersBeyond(seq, keptBefore, options.keep));
  return { written, historySeq: seq, ...(doraBefore ? { doraBefore } : {}), ...(earlier ? { earlier } : {}) };
}

/**
 * Appends an entry that is no sync result (`driftless restore`) under the counter. The DORA
 * state is dropped, so the next record reads the history (this entry included) once.
 */
export async function appendHistoryEntry(table: Table, summary: SyncSummary, keep: number): Promise<HistoryEntry> {
  const builder = new ExpressionBuilder();
  const counter = counterUpdate(builder, keep);
  const { Attributes = {} } = await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: targetKey(summary),
      UpdateExpression: `SET ${counter.join(', ')} REMOVE ${builder.name(ITEM.doraState)}`,
      ...builder.attributes(),
      ReturnValues: 'UPDATED_OLD',
    }),
  );
  const seq = Number(Attributes[ITEM.historySeq] ?? HISTORY_BASE) + 1;
  if (Attributes[ITEM.historySeq] === undefined) await adoptLegacyHistory(table, summary, keep);
  const entry = historyEntry(summary);
  await writeHistoryEntry(table, entry, seq, countersBeyond(seq, Number(Attributes[ITEM.historyKeep] ?? keep), keep));
  return entry;
}

/** The record's UpdateItem; `full`: with the result and the lease's release, under their conditions. Returns the old values. */
async function update(table: Table, record: SyncRecord, options: RecordOptions, full: boolean): Promise<Record<string, unknown>> {
  const builder = new ExpressionBuilder();
  const sets = counterUpdate(builder, options.keep);
  const removes: string[] = [];
  const conditions: string[] = [];
  const set = (attribute: string, value: unknown) => value !== undefined && sets.push(`${builder.name(attribute)} = ${builder.value(value)}`);
  set('lastPostedStatus', options.postedStatus);
  if (options.dora) set(ITEM.doraState, options.dora);
  else removes.push(builder.name(ITEM.doraState));
  if (full) {
    for (const [attribute, value] of Object.entries(resultAttributes(record, options.namespace))) set(attribute, value);
    set('appliedSeq', record.seq);
    const applied = builder.name('appliedSeq');
    conditions.push(`(attribute_not_exists(${applied}) OR ${applied} <= ${builder.value(record.seq)})`);
    if (options.owner !== undefined) {
      const owner = builder.name(ITEM.leaseOwner);
      conditions.push(`(attribute_not_exists(${owner}) OR ${owner} = ${builder.value(options.owner)})`);
      removes.push(owner, builder.name(ITEM.leaseExpiresAtMs));
    }
  }
  set('updatedAt', new Date(table.now()).toISOString());
  const { Attributes } = await table.doc.send(
    new UpdateCommand({
      TableName: table.name,
      Key: targetKey(record),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ...builder.attributes(),
      ...(conditions.length > 0 ? { ConditionExpression: conditions.join(' AND ') } : {}),
      // The fallback's old item must say whether a result is there and whether the target had history.
      ReturnValues: full ? 'UPDATED_OLD' : 'ALL_OLD',
    }),
  );
  return Attributes ?? {};
}

/** `historySeq` one up (from HISTORY_BASE on the first entry) and the limit it is trimmed to. */
function counterUpdate(builder: ExpressionBuilder, keep: number): string[] {
  const seq = builder.name(ITEM.historySeq);
  return [`${seq} = if_not_exists(${seq}, ${builder.value(HISTORY_BASE)}) + ${builder.value(1)}`, `${builder.name(ITEM.historyKeep)} = ${builder.value(keep)}`];
}

/**
 * Puts the DORA state right after a record found another than the caller expected (a record
 * in between, or none kept), unless a later record moved the counter on since `historySeq`.
 */
export async function putDoraState(table: Table, target: TargetRef, dora: DoraState, historySeq: number): Promise<boolean> {
  return conditional(
    table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: targetKey(target),
        UpdateExpression: 'SET #dora = :dora',
        ConditionExpression: '#seq = :seq',
        ExpressionAttributeNames: { '#dora': ITEM.doraState, '#seq': ITEM.historySeq },
        ExpressionAttributeValues: { ':dora': dora, ':seq': historySeq },
      }),
    ),
  );
}
