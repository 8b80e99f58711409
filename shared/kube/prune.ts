// Deletes objects that left Git, with the safety rules: only objects whose live tracking-id
// names this app, never those the caller's rule keeps (Prune=false), never anything we cannot
// prove is ours. The caller may also leave some for later (a PruneLast wave prunes only its
// own), and chooses the deletes' propagation policy (Argo CD's PrunePropagationPolicy).
import pLimit from 'p-limit';
import type { KubeClient } from './client.ts';
import { resourcePath, type Discovery } from './discovery.ts';
import { isNotFound, KubeApiError } from './errors.ts';
import { readLive, refKey, type ObjectRef } from './live.ts';
import type { KubeObject } from './object.ts';
import { isOwnedBy } from './tracking.ts';

/** `deferred`: ours, but not this call's to prune (the caller's `select` left it out). */
export type PruneAction = 'pruned' | 'skipped' | 'failed' | 'deferred';

/** DeleteOptions.propagationPolicy, as the API spells it. */
export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface PruneOutcome {
  ref: ObjectRef;
  action: PruneAction;
  reason?: string;
  /** Still on the cluster and ours (kept by rule, or the delete failed): a later prune may try again. */
  stillOurs: boolean;
}

export interface PruneOptions {
  dryRun?: boolean;
  concurrency?: number;
  /** Why a live object of ours must stay (e.g. its Prune=false sync option), or undefined. */
  keep?: (live: KubeObject) => string | undefined;
  /** Whether this call prunes a live object of ours; the others come back `deferred`. Default all. */
  select?: (live: KubeObject) => boolean;
  /** Default Background. */
  propagationPolicy?: PropagationPolicy;
}

/**
 * Deletes the objects of each batch in turn (batches in the order given: the caller passes
 * them in reverse apply order), objects within a batch in parallel.
 */
export async function pruneObjects(
  client: KubeClient,
  discovery: Discovery,
  app: string,
  batches: ObjectRef[][],
  options: PruneOptions = {},
): Promise<PruneOutcome[]> {
  const live = await readLive(client, discovery, batches.flat());
  const limit = pLimit(options.concurrency ?? 8);
  const outcomes: PruneOutcome[] = [];
  for (const batch of batches) {
    outcomes.push(...(await Promise.all(batch.map((ref) => limit(() => pruneOne(client, discovery, app, ref, live, options))))));
  }
  return outcomes;
}

async function pruneOne(
  client: KubeClient,
  discovery: Discovery,
  app: string,
  ref: ObjectRef,
  live: Map<string, KubeObject>,
  options: PruneOptions,
): Promise<PruneOutcome> {
  const object = live.get(refKey(ref));
  if (!object) return { ref, action: 'skipped', reason: 'already gone', stillOurs: false };
  if (!isOwnedBy(app, object))
    return { ref, action: 'skipped', reason: 'not tracked by this app (someone else owns an object of that name)', stillOurs: false };
  if (options.select && !options.select(object)) return { ref, action: 'deferred', stillOurs: true };
  const kept = options.keep?.(object);
  if (kept) return { ref, action: 'skipped', reason: kept, stillOurs: true };
  if (object.metadata.deletionTimestamp) return { ref, action: 'pruned', reason: 'already being deleted', stillOurs: false };
  try {
    const info = await discovery.resolve(ref.apiVersion, ref.kind);
    await client.request({
      method: 'DELETE',
      path: resourcePath(info, ref.namespace, ref.name),
      query: options.dryRun ? { dryRun: 'All' } : undefined,
      // Guard against deleting a newer object that took the name since we read it.
      body: {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: options.propagationPolicy ?? 'Background',
        preconditions: { uid: object.metadata.uid },
      },
    });
    return { ref, action: 'pruned', stillOurs: false };
  } catch (error) {
    if (isNotFound(error)) return { ref, action: 'skipped', reason: 'already gone', stillOurs: false };
    return {
      ref,
      action: 'failed',
      reason: error instanceof KubeApiError ? (error.status.message ?? error.message) : (error as Error).message,
      stillOurs: true,
    };
  }
}
