// Second pass: each suspect is applied as a server-side dry-run (field manager `driftless`,
// force, as the sync would), and the object the server would store is compared with the
// live one on the fields Git sets. If the apply would change none of them, the difference
// was a normalisation our comparison does not know: not drift. One request per suspect,
// none at all for a target that did not drift.
import { applyWave } from '../kube/apply.ts';
import type { KubeClient } from '../kube/client.ts';
import { compareObjects, fieldOwners, projectLive, type IgnoreDifference } from '../kube/compare.ts';
import type { Discovery } from '../kube/discovery.ts';
import type { Suspect } from './compare-live.ts';
import type { ObjectDrift } from './types.ts';

export interface ConfirmOptions {
  ignoreDifferences?: readonly IgnoreDifference[];
  /** Dry-runs in flight at once. */
  concurrency?: number;
}

/** The confirmed suspects as `modified` drift, with their fields and who owns them now. */
export async function confirmDrift(client: KubeClient, discovery: Discovery, suspects: Suspect[], options: ConfirmOptions = {}): Promise<ObjectDrift[]> {
  if (suspects.length === 0) return [];
  const outcomes = await applyWave(
    client,
    discovery,
    suspects.map(({ desired, live }) => ({ desired, live, unchangedInGit: false })),
    { dryRun: true, concurrency: options.concurrency ?? 4 },
  );
  const confirmed: ObjectDrift[] = [];
  outcomes.forEach((outcome, index) => {
    const { desired, live, differences } = suspects[index];
    const ref = { apiVersion: desired.apiVersion, kind: desired.kind, namespace: desired.metadata.namespace, name: desired.metadata.name ?? '' };
    // What the apply would change: the server's result, cut to Git's fields, against live.
    const changes = outcome.live ? compareObjects(projectLive(desired, outcome.live), live, { ignoreDifferences: options.ignoreDifferences }) : differences;
    if (changes.length === 0) return;
    confirmed.push({
      ...ref,
      state: 'modified',
      fields: changes.map((change) => ({
        path: change.path,
        managers: fieldOwners(live, change.elements ?? []).filter((owner) => owner.manager !== 'driftless'),
      })),
      ...(outcome.action === 'failed' ? { unconfirmed: outcome.error ?? 'dry-run failed' } : {}),
    });
  });
  return confirmed;
}
