// The schedule's work, in one short invocation (nothing slow happens here):
//   registry and targets → branch heads (missed pushes) → jobs on the sync queue: a
//   `missed-push` sync for each target behind its branch, the held sync of a target whose
//   sync window opened (window-waits.ts), and one `cluster-scan` per cluster for the rest.
// The syncs run in each target's FIFO group; a cluster scan in its cluster's own group
// (`_scan@<cluster>`), so the clusters of a fleet are scanned in parallel across workers, each
// reading every kind its apps need once (scan-cluster.ts). The targets this run sent a sync
// for go in the job's `catchingUp` and are not scanned, as before; a scan stays clear of a
// sync under way by its lease. The per-target `drift-scan` job still runs (older messages,
// one target scanned on its own).
import { repoKey } from '../config/repo-url.ts';
import type { BranchHeads } from '../github/heads.ts';
import { targetId, type Job } from '../queue/job.ts';
import type { JobQueue } from '../queue/queue.ts';
import type { StateStore } from '../state/store.ts';
import type { WorkerLogger } from '../worker/dependencies.ts';
import { checkHeads, type HeadCheck } from './heads.ts';
import { openedWindowWaits } from './window-waits.ts';

export interface ScheduleDependencies {
  store: StateStore;
  queue: JobQueue;
  heads: BranchHeads;
  logger: WorkerLogger;
  /** The schedule's period: scan jobs are deduplicated per period. */
  intervalMs: number;
  /** The repository holding the registry, whose head is checked too. */
  configRepo?: { repoURL: string; branch: string };
  now?: () => Date;
}

export interface ScanPlan {
  /** Targets the cluster scans of this run cover. */
  scans: number;
  /** Cluster-scan jobs sent: one per cluster with a target to scan. */
  clusters: number;
  missedPushes: Array<{ app: string; cluster: string; revision: string; current?: string }>;
  /** Syncs held by a sync window that is open now, sent again. */
  windowsOpened: Array<{ app: string; cluster: string; revision: string }>;
  registryBehind: boolean;
  headErrors: HeadCheck['errors'];
}

export async function planScans(schedule: ScheduleDependencies): Promise<ScanPlan> {
  // One call per repository and branch in this run, also when the config repo holds apps.
  const deps = { ...schedule, heads: new OncePerRun(schedule.heads) };
  const now = deps.now?.() ?? new Date();
  const enqueuedAt = now.toISOString();
  const record = await deps.store.getRegistry();
  const registry = record?.registry;
  const jobs: Job[] = [];

  const registryBehind = deps.configRepo ? await checkConfigRepo(deps, deps.configRepo, record?.revision, jobs, enqueuedAt) : false;
  if (!registry) {
    if (jobs.length > 0) await deps.queue.enqueue(jobs);
    return { scans: 0, clusters: 0, missedPushes: [], windowsOpened: [], registryBehind, headErrors: [] };
  }

  const targets = await deps.store.listTargets();
  const check = await checkHeads(deps.heads, registry, targets);
  // Written only when they moved.
  for (const head of check.heads) await deps.store.putHead(head.repoURL, head.branch, head.sha);
  for (const behind of check.behind) {
    // The worker only proceeds for the requested revision: request first, then enqueue.
    await deps.store.requestSync(behind, behind.revision);
    jobs.push({ kind: 'sync', app: behind.app, cluster: behind.cluster, revision: behind.revision, ref: behind.branch, trigger: 'missed-push', enqueuedAt });
  }

  const catchingUp = new Set(check.behind.map((behind) => targetId(behind.app, behind.cluster)));
  // Syncs a sync window held back, now that it is open (window-waits.ts); no scan beside them.
  const windowsOpened = openedWindowWaits(registry, targets, now);
  for (const job of windowsOpened) {
    jobs.push(job);
    catchingUp.add(targetId(job.app, job.cluster));
  }
  const registered = new Set(registry.apps.flatMap((app) => app.destinations.map((destination) => targetId(app.name, destination.cluster))));
  const period = Math.floor(now.getTime() / deps.intervalMs);
  const byCluster = new Map<string, { scans: number; catchingUp: string[] }>();
  for (const target of targets) {
    const id = targetId(target.app, target.cluster);
    if (!registered.has(id) || !target.revision) continue;
    const cluster = byCluster.get(target.cluster) ?? { scans: 0, catchingUp: [] };
    if (catchingUp.has(id)) cluster.catchingUp.push(target.app);
    else cluster.scans++;
    byCluster.set(target.cluster, cluster);
  }
  let scans = 0;
  let clusters = 0;
  for (const [cluster, planned] of byCluster) {
    if (planned.scans === 0) continue;
    // Deduplicated per period: a cluster is scanned once, however often the schedule fires in it.
    jobs.push({
      kind: 'cluster-scan',
      cluster,
      enqueuedAt,
      schedulePeriod: period,
      ...(planned.catchingUp.length > 0 ? { catchingUp: planned.catchingUp.sort() } : {}),
    });
    scans += planned.scans;
    clusters++;
  }
  if (jobs.length > 0) await deps.queue.enqueue(jobs);
  for (const error of check.errors) deps.logger.warn('branch head not readable; checked again next schedule', error);
  return {
    scans,
    clusters,
    missedPushes: check.behind.map(({ app, cluster, revision, current }) => ({ app, cluster, revision, current })),
    windowsOpened: windowsOpened.map(({ app, cluster, revision }) => ({ app, cluster, revision })),
    registryBehind,
    headErrors: check.errors,
  };
}

/**
 * The registry is refreshed when its repository's head is neither the registry's revision nor
 * a head this check already acted on (a registry the worker rejected is not retried forever).
 */
async function checkConfigRepo(
  deps: ScheduleDependencies,
  config: { repoURL: string; branch: string },
  registryRevision: string | undefined,
  jobs: Job[],
  enqueuedAt: string,
): Promise<boolean> {
  let sha: string;
  try {
    sha = await deps.heads.head(config.repoURL, config.branch);
  } catch (error) {
    deps.logger.warn('config repository head not readable; checked again next schedule', {
      repoURL: config.repoURL,
      branch: config.branch,
      message: (error as Error).message,
    });
    return false;
  }
  const seen = await deps.store.getHead(config.repoURL, config.branch);
  if (sha === registryRevision || sha === seen?.sha) return false;
  jobs.push({ kind: 'registry-refresh', revision: sha, ref: config.branch, trigger: 'missed-push', enqueuedAt });
  await deps.store.putHead(config.repoURL, config.branch, sha);
  return true;
}

class OncePerRun implements BranchHeads {
  readonly #heads: BranchHeads;
  readonly #seen = new Map<string, Promise<string>>();

  constructor(heads: BranchHeads) {
    this.#heads = heads;
  }

  head(repoURL: string, branch: string): Promise<string> {
    const key = `${repoKey(repoURL)}#${branch}`;
    let head = this.#seen.get(key);
    if (!head) {
      head = this.#heads.head(repoURL, branch);
      this.#seen.set(key, head);
    }
    return head;
  }
}
