// Prune: delete what the previous inventory holds and Git no longer does, in reverse install
// order (what depends on others first, Namespaces and CRDs last), with kube/prune.ts's safety
// rules (only objects whose live tracking id is ours), the object's own Prune=false, and the
// app's project: an entry of a kind or namespace the project does not permit (now) is kept
// and reported, never deleted, so an inventory cannot carry a tenant past its bounds.
import type { KubeClient } from '../kube/client.ts';
import type { Discovery } from '../kube/discovery.ts';
import type { ObjectRef } from '../kube/live.ts';
import type { KubeObject } from '../kube/object.ts';
import { pruneObjects } from '../kube/prune.ts';
import { syncOptions } from './annotations.ts';
import { refChange, type ObjectChange } from './changeset.ts';
import { entryKey, type InventoryEntry } from './inventory.ts';
import { batchesByKind, compareKindOrder } from './kind-order.ts';

export interface PruneContext {
  app: string;
  client: KubeClient;
  discovery: Discovery;
  dryRun: boolean;
  concurrency: number;
}

export interface PruneResult {
  changes: ObjectChange[];
  /** Candidates still on the cluster and still ours (kept, or the delete failed): a later prune tries again. */
  kept: InventoryEntry[];
}

export interface PruneRules {
  /** The sync has nothing to apply: pruning would delete the whole app. */
  renderIsEmpty: boolean;
  /** Argo CD's allowEmpty: prune even then. */
  allowEmpty: boolean;
  /** Why the app's project does not let it delete this entry, or undefined when it may. */
  refusal?: (entry: ObjectRef) => string | undefined;
}

export async function pruneStale(context: PruneContext, candidates: InventoryEntry[], rules: PruneRules): Promise<PruneResult> {
  if (candidates.length === 0) return { changes: [], kept: [] };
  const refused = candidates.flatMap((entry) => {
    const rule = rules.refusal?.(entry);
    return rule ? [{ entry, change: refChange(entry, { action: 'skipped', message: `not pruned: ${rule}` }) }] : [];
  });
  const outside = { changes: refused.map(({ change }) => change), kept: refused.map(({ entry }) => entry) };
  const permitted = candidates.filter((entry) => !outside.kept.includes(entry));
  const pruned = await prunePermitted(context, permitted, rules);
  return { changes: [...outside.changes, ...pruned.changes], kept: [...outside.kept, ...pruned.kept] };
}

async function prunePermitted(context: PruneContext, candidates: InventoryEntry[], rules: PruneRules): Promise<PruneResult> {
  if (candidates.length === 0) return { changes: [], kept: [] };
  if (rules.renderIsEmpty && !rules.allowEmpty) {
    return {
      changes: candidates.map((entry) => refChange(entry, { action: 'skipped', message: 'not pruned: the render is empty and allowEmpty is off' })),
      kept: candidates,
    };
  }
  const batches = batchesByKind(
    [...candidates].sort((a, b) => compareKindOrder(b, a)),
    (entry) => entry,
  );
  const outcomes = await pruneObjects(context.client, context.discovery, context.app, batches, {
    dryRun: context.dryRun,
    concurrency: context.concurrency,
    keep: keepReason,
  });
  const byRef = new Map(candidates.map((entry) => [entryKey(entry), entry]));
  return {
    changes: outcomes.map((outcome) => refChange(outcome.ref, { action: outcome.action, message: outcome.reason })),
    kept: outcomes.filter((outcome) => outcome.stillOurs).flatMap((outcome) => byRef.get(entryKey(outcome.ref)) ?? []),
  };
}

/** Why a live object of ours stays although Git dropped it. */
function keepReason(live: KubeObject): string | undefined {
  try {
    return syncOptions(live).prune === false ? 'Prune=false' : undefined;
  } catch {
    return 'its sync-options annotation cannot be read'; // when in doubt, do not delete
  }
}
