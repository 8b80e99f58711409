// First pass of a scan, no requests: each desired object against its live one with the
// comparison the sync and `driftless diff` use, honouring the app's ignoreDifferences.
// What differs here is only a suspect until the dry-run (confirm.ts) agrees.
import { compareObjects, type FieldDifference, type IgnoreDifference } from '../kube/compare.ts';
import { refKey, type ObjectRef } from '../kube/live.ts';
import type { KubeObject } from '../kube/object.ts';
import { isOwnedBy, objectKey } from '../kube/tracking.ts';

export interface Suspect {
  desired: KubeObject;
  live: KubeObject;
  differences: FieldDifference[];
}

export interface LiveComparison {
  suspects: Suspect[];
  missing: KubeObject[];
  /** In the inventory, carrying this app's tracking id, no longer in Git. */
  orphaned: ObjectRef[];
}

export interface CompareLiveInput {
  app: string;
  desired: KubeObject[];
  /** Live objects by objectKey (readLive). */
  live: Map<string, KubeObject>;
  /** Inventory entries not in `desired`; empty when orphans are not looked for (prune on). */
  orphanCandidates: ObjectRef[];
  ignoreDifferences?: readonly IgnoreDifference[];
}

export function compareLive(input: CompareLiveInput): LiveComparison {
  const suspects: Suspect[] = [];
  const missing: KubeObject[] = [];
  for (const desired of input.desired) {
    const live = input.live.get(objectKey(desired));
    if (!live) {
      missing.push(desired);
      continue;
    }
    const differences = compareObjects(desired, live, { ignoreDifferences: input.ignoreDifferences });
    if (differences.length > 0) suspects.push({ desired, live, differences });
  }
  const orphaned = input.orphanCandidates.filter((ref) => {
    const live = input.live.get(refKey(ref));
    return live !== undefined && isOwnedBy(input.app, live);
  });
  return { suspects, missing, orphaned };
}
