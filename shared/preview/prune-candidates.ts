// What a sync of the head would prune: the entries of the target's recorded inventory the
// head no longer renders (without one, the live objects tracked by the app among the head's
// kinds and namespaces), that are live and carry this app's tracking id (kube/prune.ts's
// rule), that the app's project could have created (sync/project-bounds.ts pruneRefusal) and
// that no Prune=false keeps. Read with the same one LIST per kind and namespace; nothing is
// deleted, not even as a dry run.
import type { KubeClient } from '../kube/client.ts';
import { resourcePath, type Discovery, type ResourceInfo } from '../kube/discovery.ts';
import { readLive, refKey, refOf, type ObjectRef } from '../kube/live.ts';
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
  /** What the head renders, for the kinds and namespaces to look in when there is no inventory. */
  renderedRefs: readonly ObjectRef[];
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
  const found = question.inventory
    ? await fromInventory(client, discovery, question.inventory, question.rendered)
    : await fromLive(client, discovery, question);
  const refusal = pruneRefusal(question.bounds);
  return found.filter(
    ({ ref, live }) => isOwnedBy(question.app, live) && !live.metadata.deletionTimestamp && !refusal?.(ref) && syncOptions(live).prune !== false,
  );
}

/** The inventory's entries the head does not render, as they are live (gone ones left out). */
async function fromInventory(client: KubeClient, discovery: Discovery, inventory: Inventory, rendered: ReadonlySet<string>): Promise<PruneCandidate[]> {
  const stale: ObjectRef[] = inventory.entries
    .filter((entry) => !rendered.has(refKey(entry)))
    .map(({ apiVersion, kind, namespace, name }) => ({ apiVersion, kind, ...(namespace ? { namespace } : {}), name }));
  if (stale.length === 0) return [];
  const live = await readLive(client, discovery, stale);
  return stale.flatMap((ref) => {
    const object = live.get(refKey(ref));
    return object ? [{ ref, live: object }] : [];
  });
}

/**
 * No inventory recorded (a target not synced by the service yet): the live objects carrying
 * the app's tracking id, of the kinds and in the namespaces the head renders (one LIST each),
 * that the head does not render. A kind the head no longer renders at all is not found so.
 */
async function fromLive(client: KubeClient, discovery: Discovery, question: PruneQuestion): Promise<PruneCandidate[]> {
  const lists = new Map<string, { info: ResourceInfo; namespace?: string }>();
  for (const ref of question.renderedRefs) {
    const info = await discovery.lookup(ref.apiVersion, ref.kind);
    if (!info) continue;
    const namespace = info.namespaced ? ref.namespace : undefined;
    lists.set(`${info.group}/${info.resource}/${namespace ?? ''}`, { info, namespace });
  }
  const found: PruneCandidate[] = [];
  for (const { info, namespace } of lists.values()) {
    const list = await client.get<{ items?: KubeObject[] }>(resourcePath(info, namespace));
    for (const item of list.items ?? []) {
      // Items of a LIST come without apiVersion and kind.
      const live = { ...item, apiVersion: info.group ? `${info.group}/${info.version}` : info.version, kind: info.kind };
      const ref = refOf(live);
      if (!question.rendered.has(refKey(ref)) && isOwnedBy(question.app, live)) found.push({ ref, live });
    }
  }
  return found;
}
