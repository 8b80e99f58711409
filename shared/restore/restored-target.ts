// One target's state, rebuilt from what is on its cluster: the live objects that carry the
// app's tracking id, compared with the app's render at the commit it should be on (its branch
// head, or the pin). Pure: the caller listed and rendered.
//
// Nothing on the cluster names the commit it came from. The comparison can only say "the
// cluster is at this commit" (every rendered object live and equal on the fields Git sets, and
// none of the app's objects beyond them), so a target that differs gets no revision and no
// requested revision: the next push applies its commit, and for an automated app the
// schedule's missed-push check finds the target behind its branch and syncs the head.
//
// The inventory is what is live and ours: the next sync prunes by it and skips an object only
// when its entry has the fingerprint of the same Git version (sync/summarise.ts: no
// fingerprint, applied again), so only objects found equal to the render keep one.
import { compareObjects, type IgnoreDifference } from '../kube/compare.ts';
import { assessHealth } from '../kube/health/index.ts';
import { refOf } from '../kube/live.ts';
import type { KubeObject } from '../kube/object.ts';
import { objectKey } from '../kube/tracking.ts';
import type { HealthStatus, SyncSummary, TargetUpdate } from '../state/types.ts';
import { worstHealth } from '../sync/changeset.ts';
import { entryOf, type Inventory, type InventoryEntry } from '../sync/inventory.ts';

/** The history entry's trigger: `driftless history` shows it in TRIGGER. */
export const RESTORED_REASON = 'restored';

/** The commit's objects as a sync applies them (sync/prepare.ts), and the render's cache key. */
export interface DesiredAtCommit {
  objects: KubeObject[];
  renderKey: string;
}

export interface RestoreInput {
  app: string;
  cluster: string;
  namespace: string;
  /** The commit the target should be on: the app's branch head, or its pin. */
  commit: string;
  desired: DesiredAtCommit;
  /** The app's live objects on the cluster (isOwnedBy), from the lists. */
  owned: KubeObject[];
  ignoreDifferences?: readonly IgnoreDifference[];
  /** When the restore ran (ISO). */
  at: string;
}

export interface RestoreCounts {
  /** Live objects of the app. */
  live: number;
  /** Rendered objects that are not live. */
  missing: number;
  /** Rendered objects whose live one differs on the fields Git sets. */
  differing: number;
  /** Live objects of the app that the render no longer has. */
  extra: number;
}

export interface RestoredTarget {
  /** Every field restore sets; none but `restoredAt` changes between two runs over the same cluster. */
  state: TargetUpdate & { restoredAt: string };
  history: SyncSummary;
  /** The cluster is at `commit`. */
  atCommit: boolean;
  counts: RestoreCounts;
}

export function restoredTarget(input: RestoreInput): RestoredTarget {
  const owned = uniqueByKey(input.owned);
  const wanted = new Map(input.desired.objects.map((object) => [objectKey(object), object]));
  const entries: InventoryEntry[] = [];
  const healths: HealthStatus[] = [];
  let differing = 0;
  let extra = 0;
  for (const live of owned) {
    const object = wanted.get(objectKey(live));
    if (!object) {
      extra++;
      entries.push({ ...refOf(live), fingerprint: '' });
      continue;
    }
    healths.push(assessHealth(live).status);
    if (compareObjects(object, live, { ignoreDifferences: input.ignoreDifferences }).length === 0) {
      entries.push(entryOf(object));
    } else {
      differing++;
      entries.push({ ...refOf(object), fingerprint: '' });
    }
  }
  const liveKeys = new Set(owned.map(objectKey));
  const missing = [...wanted.keys()].filter((key) => !liveKeys.has(key)).length;
  if (missing > 0) healths.push('Missing');
  const counts: RestoreCounts = { live: owned.length, missing, differing, extra };

  const atCommit = missing === 0 && differing === 0 && extra === 0;
  // As a sync's: the objects Git has, not what it no longer has.
  const health = worstHealth(healths);
  const message = restoreMessage(input, counts, atCommit);
  const syncStatus = atCommit ? 'Synced' : 'OutOfSync';
  const inventory: Inventory = { app: input.app, ...(atCommit ? { revision: input.commit } : {}), entries: entries.sort(byKey) };
  const state: RestoredTarget['state'] = {
    app: input.app,
    cluster: input.cluster,
    namespace: input.namespace,
    syncStatus,
    health,
    message,
    inventory,
    restoredAt: input.at,
    ...(atCommit ? { revision: input.commit, requestedRevision: input.commit, renderKey: input.desired.renderKey } : {}),
  };
  const history: SyncSummary = {
    app: input.app,
    cluster: input.cluster,
    revision: input.commit,
    status: syncStatus,
    health,
    message,
    startedAt: input.at,
    finishedAt: input.at,
    durationMs: 0,
    reason: RESTORED_REASON,
    counts: { ...counts },
  };
  return { state, history, atCommit, counts };
}

function restoreMessage(input: RestoreInput, counts: RestoreCounts, atCommit: boolean): string {
  const commit = input.commit.slice(0, 7);
  const objects = `${counts.live} live ${counts.live === 1 ? 'object' : 'objects'}`;
  if (atCommit) return `restored from the cluster: ${objects}, all as in ${commit}`;
  const differences = [
    counts.missing > 0 ? `${counts.missing} missing` : '',
    counts.differing > 0 ? `${counts.differing} differ` : '',
    counts.extra > 0 ? `${counts.extra} no longer in Git` : '',
  ].filter((part) => part !== '');
  return `restored from the cluster: ${objects}, not as in ${commit} (${differences.join(', ')}); the next sync applies it`;
}

/** One object per key (a kind listed in two API versions comes back twice): the first seen. */
function uniqueByKey(objects: KubeObject[]): KubeObject[] {
  const seen = new Map<string, KubeObject>();
  for (const object of objects) if (!seen.has(objectKey(object))) seen.set(objectKey(object), object);
  return [...seen.values()];
}

function byKey(a: InventoryEntry, b: InventoryEntry): number {
  const left = objectKey({ apiVersion: a.apiVersion, kind: a.kind, metadata: { namespace: a.namespace, name: a.name } });
  const right = objectKey({ apiVersion: b.apiVersion, kind: b.kind, metadata: { namespace: b.namespace, name: b.name } });
  return left < right ? -1 : left > right ? 1 : 0;
}
