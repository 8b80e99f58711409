// Prune: delete what the previous inventory holds and Git no longer does, in reverse install
// order (what depends on others first, Namespaces and CRDs last), with kube/prune.ts's safety
// rules (only objects whose live tracking id is ours), the Prune sync option, and the app's
// project: an entry of a kind or namespace the project does not permit (now) is kept and
// reported, never deleted, so an inventory cannot carry a tenant past its bounds.
//
// The Prune option combines as in Argo CD: an object's own annotation (read from the live
// object) wins over the app's `syncOptions`; Prune=false keeps the object, and so does
// Prune=confirm, since pruning it waits for a confirmation Driftless has no way to give.
// A kept object stays in the inventory, so a later sync reports it again.
import type { KubeClient } from '../kube/client.ts';
import type { Discovery } from '../kube/discovery.ts';
import type { ObjectRef } from '../kube/live.ts';
import type { KubeObject } from '../kube/object.ts';
import { pruneObjects, type PropagationPolicy } from '../kube/prune.ts';
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
  /** Candidates ours on the cluster that `select` left for a later prune. */
  deferred: InventoryEntry[];
}

export interface PruneRules {
  /** The sync has nothing to apply: pruning would delete the whole app. */
  renderIsEmpty: boolean;
  /** Argo CD's allowEmpty: prune even then. */
  allowEmpty: boolean;
  /** Why the app's project does not let it delete this entry, or undefined when it may. */
  refusal?: (entry: ObjectRef) => string | undefined;
  /** The app's Prune sync option; default true. */
  appPrune?: boolean | 'confirm';
  /** The deletes' propagationPolicy (PrunePropagationPolicy); default Background. */
  propagationPolicy?: PropagationPolicy;
}

/** Prunes the candidates whose live object `select` picks (default: all); the rest come back deferred. */
export async function pruneStale(
  context: PruneContext,
  candidates: InventoryEntry[],
  rules: PruneRules,
  select?: (live: KubeObject) => boolean,
): Promise<PruneResult> {
  if (candidates.length === 0) return { changes: [], kept: [], deferred: [] };
  const refused = candidates.flatMap((entry) => {
    const rule = rules.refusal?.(entry);
    return rule ? [{ entry, change: refChange(entry, { action: 'skipped', message: `not pruned: ${rule}` }) }] : [];
  });
  const outside = { changes: refused.map(({ change }) => change), kept: refused.map(({ entry }) => entry) };
  const permitted = candidates.filter((entry) => !outside.kept.includes(entry));
  const pruned = await prunePermitted(context, permitted, rules, select);
  return { changes: [...outside.changes, ...pruned.changes], kept: [...outside.kept, ...pruned.kept], deferred: pruned.deferred };
}

async function prunePermitted(
  context: PruneContext,
  candidates: InventoryEntry[],
  rules: PruneRules,
  select?: (live: KubeObject) => boolean,
): Promise<PruneResult> {
  if (candidates.length === 0) return { changes: [], kept: [], deferred: [] };
  if (rules.renderIsEmpty && !rules.allowEmpty) {
    return {
      changes: candidates.map((entry) => refChange(entry, { action: 'skipped', message: 'not pruned: the render is empty and allowEmpty is off' })),
      kept: candidates,
      deferred: [],
    };
  }
  const batches = batchesByKind(
    [...candidates].sort((a, b) => compareKindOrder(b, a)),
    (entry) => entry,
  );
  const outcomes = await pruneObjects(context.client, context.discovery, context.app, batches, {
    dryRun: context.dryRun,
    concurrency: context.concurrency,
    keep: (live) => keepReason(live, rules.appPrune ?? true),
    select,
    propagationPolicy: rules.propagationPolicy,
  });
  const byRef = new Map(candidates.map((entry) => [entryKey(entry), entry]));
  const entryOf = (ref: ObjectRef) => byRef.get(entryKey(ref)) ?? [];
  const done = outcomes.filter((outcome) => outcome.action !== 'deferred');
  return {
    changes: done.map((outcome) => refChange(outcome.ref, { action: outcome.action as ObjectChange['action'], message: outcome.reason })),
    kept: done.filter((outcome) => outcome.stillOurs).flatMap((outcome) => entryOf(outcome.ref)),
    deferred: outcomes.filter((outcome) => outcome.action === 'deferred').flatMap((outcome) => entryOf(outcome.ref)),
  };
}

const CONFIRM = 'pruning it waits for a confirmation, and Driftless has no way to give one (delete it by hand, or set Prune=true)';

/** Why a live object of ours stays although Git dropped it. */
function keepReason(live: KubeObject, appPrune: boolean | 'confirm'): string | undefined {
  let own: boolean | 'confirm' | undefined;
  try {
    own = syncOptions(live).prune;
  } catch {
    return 'its sync-options annotation cannot be read'; // when in doubt, do not delete
  }
  if (own === false) return 'Prune=false';
  if (own === 'confirm') return `Prune=confirm: ${CONFIRM}`;
  if (own === true) return undefined;
  if (appPrune === false) return "Prune=false in the app's syncOptions";
  if (appPrune === 'confirm') return `Prune=confirm in the app's syncOptions: ${CONFIRM}`;
  return undefined;
}

/** Whether the live object asks to be pruned in the final wave (its own PruneLast=true). */
export function asksToBePrunedLast(live: KubeObject): boolean {
  try {
    return syncOptions(live).pruneLast === true;
  } catch {
    return false; // keepReason keeps it, whichever wave asks
  }
}
