// The single-table layout. Every item has `pk` and `sk`; prefixes tell the kinds apart.
import { targetId } from '../queue/job.ts';
import type { TargetRef } from './types.ts';

export interface ItemKey {
  pk: string;
  sk: string;
}

export const TARGET_PREFIX = 'TARGET#';
export const TARGET_STATE_SK = 'STATE';
export const HISTORY_PREFIX = 'HISTORY#';
/** A parent's wave plan lives in its target's partition (so the worker's key grant covers it), beside STATE. */
export const WAVE_PLAN_SK = 'WAVES';

export function targetKey(target: TargetRef): ItemKey {
  return { pk: `${TARGET_PREFIX}${targetId(target.app, target.cluster)}`, sk: TARGET_STATE_SK };
}

/**
 * A history entry by the target's history counter (`historySeq` on its STATE item), zero-padded
 * so keys sort as numbers: the entry that falls beyond the limit is known by its key, with no
 * read. They sort before the time-keyed entries releases before wrote (`HISTORY#<ISO time>#<id>`,
 * a year never starts with 0): a target's time-keyed entries are adopted under counters on its
 * first record (history.ts), and an older release rolled back to still finds its own entries
 * newest and trims the counter's first, as the oldest.
 */
const HISTORY_SEQ_DIGITS = 12;
const HISTORY_SEQ_SK = new RegExp(`^${HISTORY_PREFIX}\\d{${HISTORY_SEQ_DIGITS}}$`);

/** True for a counter-keyed history entry's sort key. */
export function isHistorySeqKey(sk: string): boolean {
  return HISTORY_SEQ_SK.test(sk);
}

export function historySeqKey(target: TargetRef, seq: number): ItemKey {
  return { pk: targetKey(target).pk, sk: `${HISTORY_PREFIX}${String(seq).padStart(HISTORY_SEQ_DIGITS, '0')}` };
}

/** Releases before the counter: ISO time first so items sorted by time; the id kept two syncs in the same millisecond apart. */
export function historyKey(target: TargetRef, finishedAt: string, id: string): ItemKey {
  return { pk: targetKey(target).pk, sk: `${HISTORY_PREFIX}${finishedAt}#${id}` };
}

export function wavePlanKey(target: TargetRef): ItemKey {
  return { pk: targetKey(target).pk, sk: WAVE_PLAN_SK };
}

/**
 * The lease item of releases before the lease moved onto the target's STATE item (lease.ts).
 * Written and honoured only while one of their workers may still hold one (legacy-lease.ts).
 */
export function leaseKey(target: TargetRef): ItemKey {
  return { pk: `LEASE#${targetId(target.app, target.cluster)}`, sk: 'LEASE' };
}

/** Until when a lease item of an older release may still be live (legacy-lease.ts); absent on a table no older release used. */
export const LEGACY_LEASES_KEY: ItemKey = { pk: 'META#leases', sk: 'LEGACY' };

export function deliveryKey(id: string): ItemKey {
  return { pk: `DELIVERY#${id}`, sk: 'DELIVERY' };
}

/** The registry's partition: a head item and one item per entry (registry.ts). */
export const REGISTRY_PK = 'REGISTRY';
export const REGISTRY_HEAD_KEY: ItemKey = { pk: REGISTRY_PK, sk: 'HEAD' };
/** Sort-key prefixes of the registry's entries and of its push index, so a Query reads one or the other. */
export const REGISTRY_ITEM_PREFIX = 'ITEM#';
export const PUSH_INDEX_PREFIX = 'PUSH#';
/** The registry as one item, as releases before the per-item registry wrote it: read when there is no head, deleted by the first write. */
export const LEGACY_REGISTRY_KEY: ItemKey = { pk: REGISTRY_PK, sk: 'CURRENT' };

/**
 * The rollouts of ApplicationSets (shared/rollout/): one partition, one small item per set, so
 * every set's rollout is read with one Query (the CLI's and the dashboard's overview).
 */
export const ROLLOUT_PK = 'ROLLOUT';
export const ROLLOUT_PREFIX = 'SET#';

export function rolloutKey(set: string): ItemKey {
  return { pk: ROLLOUT_PK, sk: `${ROLLOUT_PREFIX}${set}` };
}

export function headKey(repoURL: string, branch: string): ItemKey {
  return { pk: `HEAD#${repoURL}#${branch}`, sk: 'HEAD' };
}
