// One drift-scan job for one app on one cluster, run by the sync worker (the job shares the
// target's FIFO group, so a scan never runs beside a sync of the same target):
//   state → last applied render (S3) → detect → self-heal decision → record and announce.
// A scan that cannot reach the cluster leaves the recorded state alone and does not throw:
// retrying would hold up the target's syncs queued behind it, and the next schedule scans again.
import type { AppSpec, ClusterSpec } from '../config/types.ts';
import { Discovery } from '../kube/discovery.ts';
import type { DriftScanJob } from '../queue/job.ts';
import type { TargetField, TargetFields, TargetState } from '../state/types.ts';
import type { WorkerDependencies } from '../worker/dependencies.ts';
import { detectDrift } from './detect.ts';
import { isHeld } from './heads.ts';
import { recordDrift } from './record-drift.ts';
import { decideHeal, enqueueHeal } from './self-heal.ts';
import type { DriftReport } from './types.ts';

export type ScanOutcome =
  | { outcome: 'scanned'; report: DriftReport; healed: boolean; recorded: boolean }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'unknown'; reason: string; healed: boolean }
  | { outcome: 'failed'; reason: string };

export type ScanDependencies = Pick<WorkerDependencies, 'store' | 'queue' | 'renders' | 'events' | 'connect' | 'logger' | 'now'>;

export async function scanTarget(job: DriftScanJob, app: AppSpec, cluster: ClusterSpec, deps: ScanDependencies): Promise<ScanOutcome> {
  const log = { app: app.name, cluster: cluster.name, kind: job.kind, schedulePeriod: job.schedulePeriod };
  const target = await deps.store.getTarget(app.name, cluster.name);
  const skip = whyNotScan(app, cluster, target);
  if (skip || !target?.revision) return { outcome: 'skipped', reason: skip ?? 'never synced' };
  const revision = target.revision;
  const now = deps.now?.() ?? new Date();
  // A held target (suspended, pinned) is scanned and reported, not healed: the worker would not apply the heal.
  const selfHeal = (app.syncPolicy.automated?.selfHeal ?? false) && !isHeld(target);
  const heal = async (): Promise<{ set?: Partial<TargetFields>; healed: boolean }> => {
    const decision = decideHeal(target, now);
    if (decision.action !== 'heal') {
      deps.logger.info('drift found; self-heal waits', { ...log, decision });
      return { healed: false };
    }
    await enqueueHeal(deps, target, revision, now);
    return { set: decision.fields, healed: true };
  };

  try {
    const rendered = target.renderKey ? await deps.renders.get(target.renderKey) : undefined;
    if (!rendered) {
      // The render expired from the cache: a sync of the same revision renders and records it
      // again (self-heal on); otherwise the drift is not known until the next sync.
      const healing = selfHeal ? await heal() : { healed: false };
      if (target.driftStatus !== 'Unknown' || healing.set) await deps.store.putTargetState({ app: app.name, cluster: cluster.name, driftStatus: 'Unknown', lastScannedAt: now.toISOString(), ...healing.set });
      deps.logger.warn('drift unknown: the last applied render is no longer cached', { ...log, renderKey: target.renderKey, selfHeal: healing.healed });
      return { outcome: 'unknown', reason: `render ${target.renderKey ?? '(none)'} is not in the render cache${selfHeal ? '' : '; the next sync records a new one'}`, healed: healing.healed };
    }
    const client = await deps.connect(cluster);
    const findings = await detectDrift({
      app: app.name,
      rendered,
      client,
      discovery: new Discovery(client),
      inventory: target.inventory,
      findOrphans: !(app.syncPolicy.automated?.prune ?? false),
      ignoreDifferences: app.ignoreDifferences,
    });
    const report: DriftReport = { ...findings, app: app.name, cluster: cluster.name, revision, status: findings.objects.length > 0 ? 'Drifted' : 'InSync', scannedAt: now.toISOString() };

    // Orphans alone are not healed: without prune a sync would leave them where they are.
    const healing = selfHeal && report.objects.some((object) => object.state !== 'orphaned') ? await heal() : { healed: false };
    const remove: TargetField[] = report.status === 'InSync' ? ['selfHealAttempts', 'nextSelfHealAt'] : [];
    const recorded = await recordDrift(deps, target, { status: report.status, objects: report.objects, revision, scannedAt: now, set: healing.set, remove });
    return { outcome: 'scanned', report, healed: healing.healed, recorded: recorded.written };
  } catch (error) {
    deps.logger.warn('drift scan failed; the next schedule scans again', { ...log, error: (error as Error).message });
    return { outcome: 'failed', reason: (error as Error).message };
  }
}

function whyNotScan(app: AppSpec, cluster: ClusterSpec, target: TargetState | undefined): string | undefined {
  if (!app.destinations.some((destination) => destination.cluster === cluster.name)) return 'the app no longer targets this cluster';
  if (!target?.revision) return 'never synced';
  if (target.syncStatus === 'Syncing') return 'a sync is in progress';
  return undefined;
}
