// What each object of the head would become on the cluster: a server-side apply with
// dryRun=All, written as the sync writes it (sync/object-write.ts: field manager, force,
// Replace, Validate, RespectIgnoreDifferences), so admission, defaulting and validation all
// answer, and nothing is stored. An object the server cannot answer for yet (its kind comes
// from a CRD of the same render, its namespace from this sync) is shown as rendered.
import type { KubeClient } from '../kube/client.ts';
import { applyWave, type ApplyRequest } from '../kube/apply.ts';
import type { Discovery } from '../kube/discovery.ts';
import { refKey, refOf } from '../kube/live.ts';
import type { KubeObject } from '../kube/object.ts';
import type { ObjectSource } from '../sync/changeset.ts';
import type { LiveState } from '../sync/live-state.ts';
import { writeRequest, type WriteSettings } from '../sync/object-write.ts';
import type { PlannedObject } from '../sync/plan.ts';

export interface DryRunOutcome {
  planned: PlannedObject<ObjectSource>;
  live?: KubeObject;
  /** What the object would be; the rendered object when `predicted`. */
  result?: KubeObject;
  /** Not asked of the server (see above). */
  predicted: boolean;
  /** The server refused the object (validation, an owner, a webhook): the sync would fail on it. */
  error?: string;
}

export async function dryRunObjects(
  client: KubeClient,
  discovery: Discovery,
  resources: ReadonlyArray<PlannedObject<ObjectSource>>,
  live: LiveState,
  settings: WriteSettings,
  concurrency: number,
): Promise<DryRunOutcome[]> {
  const asked: Array<{ planned: PlannedObject<ObjectSource>; request: ApplyRequest }> = [];
  const outcomes = new Map<PlannedObject<ObjectSource>, DryRunOutcome>();
  for (const planned of resources) {
    const current = live.objects.get(refKey(refOf(planned.object)));
    if (!(await answerable(planned.object, discovery, live))) {
      outcomes.set(planned, { planned, live: current, result: planned.object, predicted: true });
      continue;
    }
    asked.push({
      planned,
      request: writeRequest({ object: planned.object, syncOptions: planned.syncOptions, live: current, unchangedInGit: false }, settings),
    });
  }
  const answers = await applyWave(
    client,
    discovery,
    asked.map(({ request }) => request),
    { dryRun: true, concurrency },
  );
  answers.forEach((answer, index) => {
    const { planned, request } = asked[index];
    outcomes.set(planned, {
      planned,
      live: request.live,
      result: answer.action === 'failed' ? undefined : answer.live,
      predicted: false,
      ...(answer.action === 'failed' ? { error: answer.error ?? 'refused' } : {}),
    });
  });
  return resources.map((planned) => outcomes.get(planned) as DryRunOutcome);
}

/** The server can dry-run the object now: it serves the kind, and the namespace is there. */
async function answerable(object: KubeObject, discovery: Discovery, live: LiveState): Promise<boolean> {
  const info = await discovery.lookup(object.apiVersion, object.kind);
  if (!info) return false;
  return !info.namespaced || !object.metadata.namespace || live.existingNamespaces.has(object.metadata.namespace);
}
