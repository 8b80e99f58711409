// The claim: one conditional UpdateItem by which a sync job takes its target. It holds only
// while the job's revision is still the requested one (a newer request stands the job down,
// see target.ts) and no other worker holds a live lease; it then sets the lease, marks the
// target Syncing, and may record the pending status the job is about to post. ALL_OLD answers
// the state as it was before, so the job needs no read of its own: the state it decides from
// is the one its claim replaced.
//
// `unheld` adds "nothing on the item can hold an automated job" (no pin, not suspended): the
// worker claims so first and reads the target only when the claim fails, because a held target
// must not be marked Syncing or leased by a job it will not sync (shared/worker/sync-target.ts).
// dynalite has no ReturnValuesOnConditionCheckFailure, so a failed claim reads the item once
// to say why: superseded, leased, held, or raced (the item changed back meanwhile: claim again).
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DoraState } from '../dora/events.ts';
import { targetKey } from './keys.ts';
import { alsoLegacyLease, leaseFreeFor, leaseFromItem, releaseLegacyLeaseInWindow } from './lease.ts';
import { conditional, isConditionFailed, type Table } from './table.ts';
import { ITEM, targetFromItem } from './target-item.ts';
import { buildUpdate, ExpressionBuilder } from './update-expression.ts';
import type { LeaseRecord, PostedStatus, TargetRef, TargetState, TargetUpdate } from './types.ts';

export interface ClaimRequest {
  revision: string;
  owner: string;
  ttlMs: number;
  /** Also require no pin and no suspension (the job would be held): the caller reads and decides when this fails. */
  unheld?: boolean;
  /** The pending status the job posts next, recorded as posted (why that is safe: sync-target.ts's announceStart). */
  pendingStatus?: PostedStatus;
}

export type Claim =
  | {
      claimed: true;
      /** The request the sync works for: its results never overwrite a newer request's. */
      seq: number;
      /** The target as it was before the claim; undefined for a target without an item. */
      before?: TargetState;
      /** The DORA state its history left (shared/dora/events.ts), for the record. */
      dora?: DoraState;
    }
  | {
      claimed: false;
      why: 'superseded' | 'leased' | 'held' | 'raced';
      /** The target as read after the failed claim, and its live lease. */
      state?: TargetState;
      lease?: LeaseRecord;
    };

export async function claimTarget(table: Table, target: TargetRef, request: ClaimRequest): Promise<Claim> {
  const now = table.now();
  const at = new Date(now).toISOString();
  const builder = new ExpressionBuilder();
  // A target nobody requested a commit for yet (first sync from the registry) starts at seq 0.
  const update = buildUpdate(
    {
      set: {
        app: target.app,
        cluster: target.cluster,
        syncStatus: 'Syncing',
        lastSyncStartedAt: at,
        updatedAt: at,
        [ITEM.leaseOwner]: request.owner,
        [ITEM.leaseExpiresAtMs]: now + request.ttlMs,
        lastPostedStatus: request.pendingStatus,
      },
      setIfMissing: { requestedRevision: request.revision, requestSeq: 0 },
    },
    builder,
  );
  const requested = builder.name('requestedRevision');
  const conditions = [`(attribute_not_exists(${requested}) OR ${requested} = ${builder.value(request.revision)})`, leaseFreeFor(builder, request.owner, now)];
  if (request.unheld) {
    const pinned = builder.name('pinnedRevision');
    const suspended = builder.name('suspended');
    conditions.push(`(attribute_not_exists(${pinned}) OR ${pinned} = ${builder.value('')})`);
    conditions.push(`(attribute_not_exists(${suspended}) OR ${suspended} = ${builder.value(false)})`);
  }
  let old: Record<string, unknown> | undefined;
  try {
    const answer = await table.doc.send(
      new UpdateCommand({
        TableName: table.name,
        Key: targetKey(target),
        ...update,
        ...builder.attributes(),
        ConditionExpression: conditions.join(' AND '),
        ReturnValues: 'ALL_OLD',
      }),
    );
    old = answer.Attributes;
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    return whyNotClaimed(table, target, request);
  }
  // Inside the upgrade window an older release's worker may hold the lease item (legacy-lease.ts).
  if (!(await alsoLegacyLease(table, target, request.owner, request.ttlMs))) return { claimed: false, why: 'leased' };
  return {
    claimed: true,
    seq: Number(old?.requestSeq ?? 0),
    before: old ? targetFromItem(old) : undefined,
    dora: old?.[ITEM.doraState] as DoraState | undefined,
  };
}

async function whyNotClaimed(table: Table, target: TargetRef, request: ClaimRequest): Promise<Claim> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.name, Key: targetKey(target), ConsistentRead: true }));
  const state = Item ? targetFromItem(Item) : undefined;
  const lease = leaseFromItem(Item, table.now());
  const found = { state, ...(lease ? { lease } : {}) };
  if (state?.requestedRevision !== undefined && state.requestedRevision !== request.revision) return { claimed: false, why: 'superseded', ...found };
  if (lease && lease.owner !== request.owner) return { claimed: false, why: 'leased', ...found };
  if (request.unheld && (state?.pinnedRevision || state?.suspended)) return { claimed: false, why: 'held', ...found };
  return { claimed: false, why: 'raced', ...found };
}

/**
 * Gives a claim back without a result (a job that turned out stale after claiming): the fields
 * the claim set are put back as `before` had them, `also` is written, and the lease goes, all
 * only while the lease is still `owner`'s.
 */
export async function unclaimTarget(
  table: Table,
  target: TargetRef,
  owner: string,
  before: TargetState | undefined,
  also: Omit<TargetUpdate, 'app' | 'cluster'>,
): Promise<boolean> {
  const restored = { syncStatus: before?.syncStatus, lastSyncStartedAt: before?.lastSyncStartedAt, lastPostedStatus: before?.lastPostedStatus };
  const builder = new ExpressionBuilder();
  const update = buildUpdate(
    {
      set: { ...restored, ...also, updatedAt: new Date(table.now()).toISOString() },
      remove: [...Object.keys(restored).filter((field) => restored[field as keyof typeof restored] === undefined), ITEM.leaseOwner, ITEM.leaseExpiresAtMs],
    },
    builder,
  );
  const condition = `${builder.name(ITEM.leaseOwner)} = ${builder.value(owner)}`;
  const released = await conditional(
    table.doc.send(new UpdateCommand({ TableName: table.name, Key: targetKey(target), ...update, ...builder.attributes(), ConditionExpression: condition })),
  );
  await releaseLegacyLeaseInWindow(table, target, owner);
  return released;
}
