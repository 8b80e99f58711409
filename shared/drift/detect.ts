// Drift of one app on one cluster, top to bottom:
//   desired (as the sync prepared it) → read live (one LIST per kind and namespace) →
//   compare (ignoreDifferences honoured) → confirm suspects with a dry-run → findings.
// planDetect and judgeDrift are the two halves around the read: a cluster scan
// (scan-cluster.ts) plans every app of a cluster, reads each kind once for all of them, and
// judges each app with the same code.
// No AWS here: the scan job, `driftless` tests and the benchmark all call this.
import type { KubeClient } from '../kube/client.ts';
import type { IgnoreDifference } from '../kube/compare.ts';
import type { Discovery } from '../kube/discovery.ts';
import { readLive, refOf, type ObjectRef } from '../kube/live.ts';
import type { KubeObject } from '../kube/object.ts';
import type { RenderedObject } from '../render/types.ts';
import { objectKey } from '../kube/tracking.ts';
import { entryKey, type Inventory } from '../sync/inventory.ts';
import { compareLive } from './compare-live.ts';
import { confirmDrift } from './confirm.ts';
import { desiredObjects } from './desired.ts';
import type { DriftFindings, ObjectDrift } from './types.ts';

export interface DetectRequest {
  app: string;
  /** The last applied render, from the render cache. */
  rendered: ReadonlyArray<Pick<RenderedObject, 'object'>>;
  client: KubeClient;
  discovery: Discovery;
  /** The inventory of the last sync: where orphans are looked for. */
  inventory?: Inventory;
  /** Report objects left behind by a sync that did not prune. */
  findOrphans?: boolean;
  ignoreDifferences?: readonly IgnoreDifference[];
  /** LISTs in flight at once. */
  readConcurrency?: number;
  /** Dry-runs in flight at once. */
  confirmConcurrency?: number;
}

export async function detectDrift(request: DetectRequest): Promise<DriftFindings> {
  const started = performance.now();
  const plan = await planDetect(request);
  // One readLive for both: objects of one kind and namespace share a LIST.
  const live = await readLive(request.client, request.discovery, plan.refs, request.readConcurrency ?? 8);
  return judgeDrift(request, plan, live, started);
}

/** What one target's scan compares: its desired objects, where orphans may be, and the live objects to read for both. */
export interface DetectPlan {
  desired: KubeObject[];
  orphanCandidates: ObjectRef[];
  /** Every object whose live state the comparison needs. */
  refs: ObjectRef[];
}

export async function planDetect(request: Pick<DetectRequest, 'app' | 'rendered' | 'discovery' | 'inventory' | 'findOrphans'>): Promise<DetectPlan> {
  const desired = await desiredObjects(request.app, request.rendered, request.discovery);
  const wanted = new Set(desired.map(objectKey));
  const orphanCandidates = request.findOrphans
    ? (request.inventory?.entries ?? [])
        .filter((entry) => !wanted.has(entryKey(entry)))
        .map(({ apiVersion, kind, namespace, name }) => ({ apiVersion, kind, namespace, name }))
    : [];
  return { desired, orphanCandidates, refs: [...desired.map(refOf), ...orphanCandidates] };
}

/**
 * The findings of one target from live objects read for it or for its whole cluster (a map
 * holding other apps' objects too is fine: only this plan's keys are looked up). `started`:
 * when the target's scan began, for `durationMs`.
 */
export async function judgeDrift(
  request: Pick<DetectRequest, 'app' | 'client' | 'discovery' | 'ignoreDifferences' | 'confirmConcurrency'>,
  plan: DetectPlan,
  live: Map<string, KubeObject>,
  started: number,
): Promise<DriftFindings> {
  const { desired, orphanCandidates } = plan;
  const comparison = compareLive({ app: request.app, desired, live, orphanCandidates, ignoreDifferences: request.ignoreDifferences });
  const modified = await confirmDrift(request.client, request.discovery, comparison.suspects, {
    ignoreDifferences: request.ignoreDifferences,
    concurrency: request.confirmConcurrency,
  });
  const byKey = new Map<string, ObjectDrift>([
    ...modified.map((drift) => [entryKey(drift), drift] as const),
    ...comparison.missing.map((object) => [objectKey(object), { ...refOf(object), state: 'missing' as const }] as const),
  ]);
  const objects = [
    ...desired.flatMap((object) => byKey.get(objectKey(object)) ?? []),
    ...comparison.orphaned.map((ref) => ({ ...ref, state: 'orphaned' as const })),
  ];
  return {
    objects,
    compared: desired.length,
    suspects: comparison.suspects.length,
    dismissed: comparison.suspects.length - modified.length,
    durationMs: Math.round(performance.now() - started),
  };
}
