// One drift-scan job for one app on one cluster, run by the sync worker (the job shares the
// target's FIFO group, so a scan never runs beside a sync of the same target):
//   state → last applied render (the cache, or made again from Git) → detect → self-heal
//   decision → record and announce.
// prepareSubject (before the cluster is read) and concludeScan (after) are shared with the
// cluster scan (scan-cluster.ts), which reads the cluster once for all its targets between them.
// Only a last applied revision gone from Git makes the drift `Unknown`, and nothing is healed
// then: self-heal acts on drift it has seen, never blindly. A scan that cannot reach the
// cluster or Git leaves the recorded state alone and does not throw: retrying would hold up
// the target's syncs queued behind it, and the next schedule scans again.
import type { AppSpec, ClusterSpec, ProjectSpec } from '../config/types.ts';
import { decryptRendered } from '../secrets/decrypt-rendered.ts';
import { processSopsKeys } from '../worker/sops-keys.ts';
import { Discovery } from '../kube/discovery.ts';
import type { DriftScanJob } from '../queue/job.ts';
import type { TargetField, TargetFields, TargetState } from '../state/types.ts';
import type { WorkerDependencies } from '../worker/dependencies.ts';
import { detectDrift, type DetectRequest } from './detect.ts';
import { isHeld } from './heads.ts';
import { lastRender } from './last-render.ts';
import { recordDrift } from './record-drift.ts';
import { storedAppNotifications } from '../notifications/announce.ts';
import { decideHeal, enqueueHeal, healKeys, healWindow, type HealDecision } from './self-heal.ts';
import type { DriftFindings, DriftReport } from './types.ts';
import type { KubeClient } from '../kube/client.ts';
import type { RenderedObject } from '../render/types.ts';

export type ScanOutcome =
  /** `heal`: what self-heal decided, when it was asked (drift found, selfHeal on, not held). */
  | { outcome: 'scanned'; report: DriftReport; healed: boolean; recorded: boolean; render: 'cached' | 'rendered'; heal?: HealDecision }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'unknown'; reason: string; healed: false }
  | { outcome: 'failed'; reason: string };

export type ScanDependencies = Pick<
  WorkerDependencies,
  'store' | 'queue' | 'renders' | 'sources' | 'charts' | 'events' | 'connect' | 'logger' | 'now' | 'sopsKeys'
>;

/** `project` is the app's project: the SOPS keys its render may be decrypted with, as in its sync. */
export async function scanTarget(job: DriftScanJob, app: AppSpec, cluster: ClusterSpec, deps: ScanDependencies, project?: ProjectSpec): Promise<ScanOutcome> {
  const log = { app: app.name, cluster: cluster.name, kind: job.kind, schedulePeriod: job.schedulePeriod };
  const target = await deps.store.getTarget(app.name, cluster.name);
  const skip = whyNotScan(app, cluster, target);
  if (skip || !target?.revision) return { outcome: 'skipped', reason: skip ?? 'never synced' };
  const scanned = { ...target, revision: target.revision };
  const now = deps.now?.() ?? new Date();
  try {
    const client = await deps.connect(cluster);
    const discovery = new Discovery(client);
    const subject = await prepareSubject({ app, cluster, project, target: scanned }, discovery, deps, now, log);
    if ('outcome' in subject) return subject;
    const findings = await detectDrift(detectRequestOf(subject, client, discovery));
    return await concludeScan(subject, findings, deps, now, log);
  } catch (error) {
    return scanFailed(error, deps, log);
  }
}

/** A target whose last applied render is in hand, decrypted, ready to be compared with the cluster. */
export interface ScanSubject {
  app: AppSpec;
  cluster: ClusterSpec;
  project?: ProjectSpec;
  /** Its state as read before the scan (the fields self-heal and the record compare with). */
  target: TargetState & { revision: string };
  revision: string;
  namespace: string;
  render: 'cached' | 'rendered';
  /** The render as the sync applied it: decrypted (the cache keeps the encrypted form). */
  rendered: ReadonlyArray<Pick<RenderedObject, 'object'>>;
}

/**
 * The first half of a target's scan, before its cluster is read: the last applied render, from
 * the cache or made again from Git. Ends the scan here (as `unknown`, recorded) when the
 * revision is gone from Git. `target` must be one whyNotScan lets through.
 */
export async function prepareSubject(
  where: { app: AppSpec; cluster: ClusterSpec; project?: ProjectSpec; target: TargetState & { revision: string } },
  discovery: Discovery,
  deps: ScanDependencies,
  now: Date,
  log: Record<string, unknown>,
): Promise<ScanSubject | Extract<ScanOutcome, { outcome: 'unknown' }>> {
  const { app, cluster, project, target } = where;
  const revision = target.revision;
  const namespace = app.destinations.find((destination) => destination.cluster === cluster.name)?.namespace ?? target.namespace ?? '';
  const render = await lastRender({ app, namespace, revision, renderKey: target.renderKey, sources: target.sources, discovery }, deps);
  if (render.found === 'revision-gone') {
    await recordDrift(deps, target, { status: 'Unknown', objects: [], revision, scannedAt: now, reason: render.reason });
    deps.logger.warn('drift unknown: the last applied revision is gone from Git', { ...log, revision, reason: render.reason });
    return { outcome: 'unknown', reason: render.reason, healed: false };
  }
  if (render.found === 'rendered')
    deps.logger.info('the last applied render had expired from the cache; rendered again from Git', {
      ...log,
      revision,
      renderKey: render.key,
      recorded: target.renderKey,
    });
  // Compared decrypted, as the sync applied it; the cache keeps the encrypted form.
  const desired = await decryptRendered(render.objects, { keys: deps.sopsKeys ?? processSopsKeys(), project, destinationNamespace: namespace });
  return { app, cluster, project, target, revision, namespace, render: render.found, rendered: desired.objects };
}

/** What detectDrift (or planDetect and judgeDrift) is asked for this subject. */
export function detectRequestOf(subject: ScanSubject, client: KubeClient, discovery: Discovery): DetectRequest {
  return {
    app: subject.app.name,
    rendered: subject.rendered,
    client,
    discovery,
    inventory: subject.target.inventory,
    findOrphans: !(subject.app.syncPolicy.automated?.prune ?? false),
    ignoreDifferences: subject.app.ignoreDifferences,
  };
}

/** The second half, once the findings are in: the report, the self-heal decision, the record and its events. */
export async function concludeScan(
  subject: ScanSubject,
  findings: DriftFindings,
  deps: ScanDependencies,
  now: Date,
  log: Record<string, unknown>,
): Promise<ScanOutcome> {
  const { app, cluster, project, target, revision, namespace } = subject;
  const report: DriftReport = {
    ...findings,
    app: app.name,
    cluster: cluster.name,
    revision,
    status: findings.objects.length > 0 ? 'Drifted' : 'InSync',
    scannedAt: now.toISOString(),
  };
  const healing = await selfHeal(app, target, report, now, deps, log, { project, cluster, namespace });
  // Asked for only when the drift is new.
  const notifications = () => storedAppNotifications(deps.store, app);
  const recorded = await recordDrift(
    deps,
    target,
    {
      status: report.status,
      objects: report.objects,
      revision,
      scannedAt: now,
      set: healing.set,
      remove: healing.remove,
    },
    notifications,
  );
  return { outcome: 'scanned', report, healed: healing.healed, recorded: recorded.written, render: subject.render, heal: healing.decision };
}

/** A scan that cannot reach the cluster or Git leaves the recorded state alone: the next schedule scans again. */
export function scanFailed(error: unknown, deps: Pick<ScanDependencies, 'logger'>, log: Record<string, unknown>): Extract<ScanOutcome, { outcome: 'failed' }> {
  deps.logger.warn('drift scan failed; the next schedule scans again', { ...log, error: (error as Error).message });
  return { outcome: 'failed', reason: (error as Error).message };
}

interface Healing {
  healed: boolean;
  decision?: HealDecision;
  set?: Partial<TargetFields>;
  remove?: TargetField[];
}

/** A clean scan forgets what was healed; drift is healed (or waits) per self-heal.ts. */
async function selfHeal(
  app: AppSpec,
  target: TargetState,
  report: DriftReport,
  now: Date,
  deps: ScanDependencies,
  log: Record<string, unknown>,
  where: { project?: ProjectSpec; cluster: ClusterSpec; namespace: string },
): Promise<Healing> {
  if (report.status === 'InSync') return { healed: false, remove: ['selfHealRecords'] };
  // A held target (suspended, pinned) is scanned and reported, not healed: the worker would not apply the heal.
  if (!(app.syncPolicy.automated?.selfHeal ?? false) || isHeld(target)) return { healed: false };
  // Orphans alone are not healed: without prune a sync would leave them where they are.
  const keys = healKeys(report.objects);
  if (keys.length === 0) return { healed: false };
  // Outside the project's sync windows the drift is recorded, and healed by a scan once they open.
  const outside = healWindow(
    where.project,
    { app: app.name, namespace: where.namespace, cluster: { name: where.cluster.name, server: where.cluster.server } },
    now,
  );
  if (outside) {
    deps.logger.info('drift found; self-heal waits for the sync window', { ...log, decision: outside });
    return { healed: false, decision: outside };
  }
  const decision = decideHeal(target, keys, now);
  if (decision.action !== 'heal') {
    deps.logger.info('drift found; self-heal waits', { ...log, decision });
    return { healed: false, decision };
  }
  await enqueueHeal(deps, target, report.revision, now);
  return { healed: true, decision, set: { selfHealRecords: decision.records } };
}

/** Why a target is not scanned now, or undefined when it is. */
export function whyNotScan(app: AppSpec, cluster: ClusterSpec, target: TargetState | undefined): string | undefined {
  if (!app.destinations.some((destination) => destination.cluster === cluster.name)) return 'the app no longer targets this cluster';
  if (!target?.revision) return 'never synced';
  if (target.syncStatus === 'Syncing') return 'a sync is in progress';
  return undefined;
}
