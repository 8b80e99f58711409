// One cluster-scan job: every app of one cluster compared with its last applied render, the
// cluster read once for all of them instead of once per app. Run by the sync worker, in the
// cluster's own FIFO group (`_scan@<cluster>`), so it runs beside the targets' syncs and
// stays clear of them by their leases instead of by their groups. In rounds of up to
// ROUND_TARGETS apps, in name order:
//
//   targets and their leases (one BatchGetItem per 50) → skip what a sync holds →
//   last applied renders (scan-target.ts's prepareSubject) → what each app needs (planDetect)
//   → each resource read once for the round (cluster-live.ts) → each app judged (judgeDrift)
//   → drifted targets read again, with their leases, in one batch: a sync that began since is
//   left alone → record, announce, self-heal (concludeScan).
//
// The comparison, the dry-run confirmation, the record, the events and self-heal are the
// per-target scan's own functions. A round bounds memory (the renders and live objects of at
// most ROUND_TARGETS apps at once) and is where a scan that runs short of invocation time
// stops: it goes on in a new message after the last app it finished (the sync's continuation
// policy: same job, one more `continuation`), until CLUSTER_SCAN_TIMEOUT_MS after it was planned.
//
// A target a sync holds is not scanned and nothing is written for it: the next schedule scans
// it. A cluster that cannot be reached fails the round (every target of it `failed`, the state
// left alone, nothing thrown), as the per-target scan does: the next schedule scans again.
import pLimit from 'p-limit';
import type { AppSpec, ClusterSpec, Registry } from '../config/types.ts';
import { projectOf } from '../config/normalise-project.ts';
import type { KubeClient } from '../kube/client.ts';
import { Discovery } from '../kube/discovery.ts';
import type { ClusterScanJob } from '../queue/job.ts';
import { targetId } from '../queue/job.ts';
import type { TargetWithLease } from '../state/targets-with-leases.ts';
import type { TargetState } from '../state/types.ts';
import type { JobContext } from '../worker/dependencies.ts';
import { continuationOf } from '../worker/policy/continuation.ts';
import { readClusterLive } from './cluster-live.ts';
import { judgeDrift, planDetect, type DetectPlan } from './detect.ts';
import {
  concludeScan,
  detectRequestOf,
  prepareSubject,
  scanFailed,
  whyNotScan,
  type ScanDependencies,
  type ScanOutcome,
  type ScanSubject,
} from './scan-target.ts';
import type { DriftFindings } from './types.ts';

/** Apps per round: one target-and-lease read, one read of the cluster, at most this many renders in memory. */
export const ROUND_TARGETS = 250;
/** Time a round is not started without (or 1.5 times the longest round so far, if more). */
export const ROUND_MARGIN_MS = 60_000;
/** A scan still continuing this long after it was planned stops: the schedule has planned newer ones. */
export const CLUSTER_SCAN_TIMEOUT_MS = 30 * 60_000;
/** Targets prepared, judged and recorded at once. */
const TARGET_CONCURRENCY = 4;
/** Names of skipped targets on the summary line; the count is always whole. */
const NAMED_SKIPS = 20;

export type TargetScanOutcome = { app: string } & ScanOutcome;

export interface ClusterScanResult {
  cluster: string;
  /** One per app of the cluster looked at in this message, in name order. */
  targets: TargetScanOutcome[];
  /** Set when the rest goes on in a new message: the last app scanned here. */
  continuedAfter?: string;
  /** Set when the scan ran past CLUSTER_SCAN_TIMEOUT_MS and stopped with apps left. */
  timedOut?: boolean;
}

export async function scanCluster(
  job: ClusterScanJob,
  cluster: ClusterSpec,
  registry: Registry,
  context: JobContext,
  deps: ScanDependencies,
): Promise<ClusterScanResult> {
  const log = { cluster: cluster.name, kind: job.kind, schedulePeriod: job.schedulePeriod, continuation: job.continuation };
  const catchingUp = new Set(job.catchingUp ?? []);
  const apps = registry.apps
    .filter((app) => app.destinations.some((destination) => destination.cluster === cluster.name))
    .filter((app) => job.after === undefined || app.name > job.after)
    .filter((app) => !catchingUp.has(app.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const result: ClusterScanResult = { cluster: cluster.name, targets: [] };
  if (apps.length === 0) return result;

  let connection: { client: KubeClient; discovery: Discovery } | undefined;
  let longestRoundMs = 0;
  for (let start = 0; start < apps.length; start += ROUND_TARGETS) {
    const left = context.remainingMs();
    if (left < Math.max(ROUND_MARGIN_MS, longestRoundMs * 1.5)) {
      await goOnLater(job, apps[start - 1]?.name ?? job.after, result, deps, log);
      return result;
    }
    const roundStarted = performance.now();
    const round = apps.slice(start, start + ROUND_TARGETS);
    try {
      connection ??= await connect(cluster, deps);
      result.targets.push(...(await scanRound(round, cluster, registry, connection, deps, log)));
    } catch (error) {
      // The cluster or the state table could not be read: every app of the round is unknown this time.
      const failed = scanFailed(error, deps, log);
      result.targets.push(...round.map((app) => ({ app: app.name, ...failed })));
    }
    longestRoundMs = Math.max(longestRoundMs, performance.now() - roundStarted);
  }
  summarise(result, deps, log);
  return result;
}

async function connect(cluster: ClusterSpec, deps: ScanDependencies): Promise<{ client: KubeClient; discovery: Discovery }> {
  const client = await deps.connect(cluster);
  return { client, discovery: new Discovery(client) };
}

/** The next message of a scan that ran short of time, or the end of one that ran too long. */
async function goOnLater(
  job: ClusterScanJob,
  after: string | undefined,
  result: ClusterScanResult,
  deps: ScanDependencies,
  log: Record<string, unknown>,
): Promise<void> {
  const now = deps.now?.() ?? new Date();
  if (now.getTime() - Date.parse(job.enqueuedAt) >= CLUSTER_SCAN_TIMEOUT_MS) {
    result.timedOut = true;
    deps.logger.warn('cluster scan ran out of time; the apps left are scanned by the next schedule', { ...log, after });
    summarise(result, deps, log);
    return;
  }
  const next: ClusterScanJob = { ...continuationOf(job), ...(after !== undefined ? { after } : {}) };
  await deps.queue.enqueue([next]);
  result.continuedAfter = after;
  deps.logger.info('cluster scan continues in a new invocation', { ...log, after });
  summarise(result, deps, log);
}

async function scanRound(
  apps: AppSpec[],
  cluster: ClusterSpec,
  registry: Registry,
  connection: { client: KubeClient; discovery: Discovery },
  deps: ScanDependencies,
  log: Record<string, unknown>,
): Promise<TargetScanOutcome[]> {
  const { client, discovery } = connection;
  const now = deps.now?.() ?? new Date();
  // Each target's durationMs counts from the start of its round: the reads it shares are part of it.
  const started = performance.now();
  const states = await deps.store.getTargetsWithLeases(apps.map((app) => ({ app: app.name, cluster: cluster.name })));
  const outcomes = new Map<string, ScanOutcome>();
  const limit = pLimit(TARGET_CONCURRENCY);

  // Renders first, each app's own: a failure here (Git unreachable for its repository) is that app's alone.
  const prepared: Array<{ subject: ScanSubject; plan: DetectPlan }> = [];
  await Promise.all(
    apps.map((app) =>
      limit(async () => {
        const appLog = { ...log, app: app.name };
        const state = states.get(targetId(app.name, cluster.name)) ?? {};
        const skip = whyNotScanNow(app, cluster, state);
        if (skip !== undefined || !state.target?.revision) return outcomes.set(app.name, { outcome: 'skipped', reason: skip ?? 'never synced' });
        try {
          const target = { ...state.target, revision: state.target.revision };
          const subject = await prepareSubject({ app, cluster, project: projectOf(registry, app.project), target }, discovery, deps, now, appLog);
          if ('outcome' in subject) return outcomes.set(app.name, subject);
          prepared.push({ subject, plan: await planDetect(detectRequestOf(subject, client, discovery)) });
        } catch (error) {
          outcomes.set(app.name, scanFailed(error, deps, appLog));
        }
      }),
    ),
  );

  // The cluster, read once for every app of the round.
  let live: Awaited<ReturnType<typeof readClusterLive>>;
  try {
    live = await readClusterLive(
      client,
      discovery,
      prepared.flatMap(({ plan }) => plan.refs),
    );
  } catch (error) {
    const failed = scanFailed(error, deps, log);
    for (const { subject } of prepared) outcomes.set(subject.app.name, failed);
    return ordered(apps, outcomes);
  }

  const judged: Array<{ subject: ScanSubject; findings: DriftFindings }> = [];
  await Promise.all(
    prepared.map(({ subject, plan }) =>
      limit(async () => {
        try {
          judged.push({ subject, findings: await judgeDrift(detectRequestOf(subject, client, discovery), plan, live, started) });
        } catch (error) {
          outcomes.set(subject.app.name, scanFailed(error, deps, { ...log, app: subject.app.name }));
        }
      }),
    ),
  );

  // A sync may have begun on a target since it was read: what looked drifted may be that sync
  // under way. The drifted ones (few, in one batch) are read again before anything is recorded or healed.
  const drifted = judged.filter(({ findings }) => findings.objects.length > 0);
  const fresh =
    drifted.length > 0
      ? await deps.store.getTargetsWithLeases(drifted.map(({ subject }) => ({ app: subject.app.name, cluster: cluster.name })))
      : new Map<string, TargetWithLease>();
  await Promise.all(
    judged.map(({ subject, findings }) =>
      limit(async () => {
        const appLog = { ...log, app: subject.app.name };
        let current = subject;
        if (findings.objects.length > 0) {
          const latest = fresh.get(targetId(subject.app.name, cluster.name)) ?? {};
          const moved = syncSince(subject.target, latest);
          if (moved !== undefined || !latest.target)
            return outcomes.set(subject.app.name, { outcome: 'skipped', reason: moved ?? 'the target was removed during the scan' });
          // Self-heal and the record compare with the state as it is now.
          current = { ...subject, target: { ...latest.target, revision: subject.revision } };
        }
        try {
          outcomes.set(subject.app.name, await concludeScan(current, findings, deps, now, appLog));
        } catch (error) {
          outcomes.set(subject.app.name, scanFailed(error, deps, appLog));
        }
      }),
    ),
  );
  return ordered(apps, outcomes);
}

function ordered(apps: AppSpec[], outcomes: Map<string, ScanOutcome>): TargetScanOutcome[] {
  return apps.map((app) => ({ app: app.name, ...(outcomes.get(app.name) ?? { outcome: 'skipped' as const, reason: 'not looked at' }) }));
}

/** whyNotScan, and a target a sync holds the lease of. */
function whyNotScanNow(app: AppSpec, cluster: ClusterSpec, state: TargetWithLease): string | undefined {
  const skip = whyNotScan(app, cluster, state.target);
  if (skip !== undefined) return skip;
  if (state.lease) return 'a sync holds the target; scanned next time';
  return undefined;
}

/** Why a drifted target is left alone: a sync began, ran or holds it since it was first read; undefined when none did. */
function syncSince(before: TargetState, after: TargetWithLease): string | undefined {
  const target = after.target;
  if (!target) return 'the target was removed during the scan';
  if (after.lease || target.syncStatus === 'Syncing') return 'a sync began during the scan; scanned next time';
  if (target.revision !== before.revision || target.lastSyncStartedAt !== before.lastSyncStartedAt) return 'a sync ran during the scan; scanned next time';
  return undefined;
}

function summarise(result: ClusterScanResult, deps: ScanDependencies, log: Record<string, unknown>): void {
  const count = (predicate: (target: TargetScanOutcome) => boolean) => result.targets.filter(predicate).length;
  const skipped = result.targets.filter((target) => target.outcome === 'skipped');
  deps.logger.info('cluster scanned', {
    ...log,
    targets: result.targets.length,
    inSync: count((target) => target.outcome === 'scanned' && target.report.status === 'InSync'),
    drifted: count((target) => target.outcome === 'scanned' && target.report.status === 'Drifted'),
    unknown: count((target) => target.outcome === 'unknown'),
    failed: count((target) => target.outcome === 'failed'),
    skipped: skipped.length,
    skips: skipped.slice(0, NAMED_SKIPS).map((target) => ({ app: target.app, reason: target.outcome === 'skipped' ? target.reason : '' })),
    ...(result.continuedAfter !== undefined ? { continuedAfter: result.continuedAfter } : {}),
  });
}
