// What a sync of the head would prune: the entries of the target's recorded inventory the
// head no longer renders, that are live and carry this app's tracking id (kube/prune.ts's
// rule), that the app's project could have created (sync/project-bounds.ts pruneRefusal) and
// that no Prune=false keeps. Read with the same one LIST per kind and namespace; nothing is
// deleted, not even as a dry run.
import type { KubeClient } from '../kube/client.ts';
import type { Discovery } from '../kube/discovery.ts';
import { readLive, refKey, type ObjectRef } from '../kube/live.ts';
import type { KubeObject } from '../kube/object.ts';
import { isOwnedBy } from '../kube/tracking.ts';
import { syncOptions } from '../sync/annotations.ts';
import type { Inventory } from '../sync/inventory.ts';
import { pruneRefusal, type ProjectBounds } from '../sync/project-bounds.ts';

export interface PruneQuestion {
  app: string;
  inventory: Inventory | undefined;
  /** objectKeys of what the head renders. */
  rendered: ReadonlySet<string>;
  bounds?: ProjectBounds;
  /** The app's own Prune=false (its syncOptions): then nothing is pruned. */
  appPrunes: boolean;
  /** The head renders nothing and the app does not allow an empty render: the sync prunes nothing. */
  emptyRefused: boolean;
}

export interface PruneCandidate {
  ref: ObjectRef;
  live: KubeObject;
}

export async function pruneCandidates(client: KubeClient, discovery: Discovery, question: PruneQuestion): Promise<PruneCandidate[]> {
  if (!question.appPrunes || question.emptyRefused) return [];
  const stale: ObjectRef[] = (question.inventory?.entries ?? [])
    .filter((entry) => !question.rendered.has(refKey(entry)))
    .map(({ apiVersion, kind, namespace, name }) => ({ apiVersion, kind, ...(namespace ? { namespace } : {}), name }));
  if (stale.length === 0) return [];
  const live = await readLive(client, discovery, stale);
  const refusal = pruneRefusal(question.bounds);
  const candidates: PruneCandidate[] = [];
  for (const ref of stale) {
    const object = live.get(refKey(ref));
    if (!object || !isOwnedBy(question.app, object) || object.metadata.deletionTimestamp) continue;
    if (refusal?.(ref) || syncOptions(object).prune === false) continue;
    candidates.push({ ref, live: object });
  }
  return candidates;
}
