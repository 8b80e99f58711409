// The schedule's work, in one short invocation (nothing slow happens here):
//   registry and targets → branch heads (missed pushes) → one job per target on the sync
//   queue: a `missed-push` sync for targets behind their branch, a `drift-scan` for the rest.
// The jobs run in the sync worker, in each target's own FIFO group, so a fleet is scanned in
// parallel across workers and a scan never overlaps a sync of the same target.
import type { Registry } from '../config/types.ts';
import { repoKey } from '../config/repo-url.ts';
import type { BranchHeads } from '../github/heads.ts';
import type { SyncJob } from '../queue/job.ts';
import type { JobQueue } from '../queue/queue.ts';
import type { StateStore } from '../state/store.ts';
import { REGISTRY_JOB_APP, REGISTRY_JOB_CLUSTER } from '../webhook/intake.ts';
import type { WorkerLogger } from '../worker/dependencies.ts';
import { checkHeads, type HeadCheck } from './heads.ts';

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
  scans: number;
  missedPushes: Array<{ app: string; cluster: string; revision: string; current?: string }>;
  registryBehind: boolean;
  headErrors: HeadCheck['errors'];
}

export async function planScans(schedule: ScheduleDependencies): Promise<ScanPlan> {
  // One call per repository and branch in this run, also when the config repo holds apps.
  const deps = { ...schedule, heads: new OncePerRun(schedule.heads) };
  const now = deps.now?.() ?? new Date();
  const enqueuedAt = now.toISOString();
  const record = await deps.store.getRegistry();
  const registry = record?.registry as Registry | undefined;
  const jobs: SyncJob[] = [];

  const registryBehind = deps.configRepo ? await checkConfigRepo(deps, deps.configRepo, record?.revision, jobs, enqueuedAt) : false;
  if (!registry) {
    if (jobs.length > 0) await deps.queue.enqueue(jobs);
    return { scans: 0, missedPushes: [], registryBehind, headErrors: [] };
  }

  const targets = await deps.store.listTargets();
  const check = await checkHeads(deps.heads, registry, targets);
  for (const head of check.heads) await rememberHead(deps.store, head.repoURL, head.branch, head.sha);
  for (const behind of check.behind) {
    // The worker only proceeds for the requested revision: request first, then enqueue.
    await deps.store.requestSync(behind, behind.revision);
    jobs.push({ app: behind.app, cluster: behind.cluster, revision: behind.revision, ref: behind.branch, reason: 'missed-push', enqueuedAt });
  }

  const catchingUp = new Set(check.behind.map((behind) => `${behind.app}@${behind.cluster}`));
  const registered = new Set(registry.apps.flatMap((app) => app.destinations.map((destination) => `${app.name}@${destination.cluster}`)));
  const period = Math.floor(now.getTime() / deps.intervalMs);
  let scans = 0;
  for (const target of targets) {
    const id = `${target.app}@${target.cluster}`;
    if (!registered.has(id) || catchingUp.has(id) || !target.revision) continue;
    // resumeFromStep carries the schedule period: the deduplication id (app@cluster@revision@
    // drift-scan@period) lets each period scan once, however often the schedule fires in it.
    jobs.push({ app: target.app, cluster: target.cluster, revision: target.revision, reason: 'drift-scan', enqueuedAt, resumeFromStep: period });
    scans++;
  }
  if (jobs.length > 0) await deps.queue.enqueue(jobs);
  for (const error of check.errors) deps.logger.warn('branch head not readable; checked again next schedule', error);
  return {
    scans,
    missedPushes: check.behind.map(({ app, cluster, revision, current }) => ({ app, cluster, revision, current })),
    registryBehind,
    headErrors: check.errors,
  };
}

/**
 * The registry is refreshed when its repository's head is neither the registry's revision nor
 * a head this check already acted on (a registry the worker rejected is not retried forever).
 */
async function checkConfigRepo(deps: ScheduleDependencies, config: { repoURL: string; branch: string }, registryRevision: string | undefined, jobs: SyncJob[], enqueuedAt: string): Promise<boolean> {
  let sha: string;
  try {
    sha = await deps.heads.head(config.repoURL, config.branch);
  } catch (error) {
    deps.logger.warn('config repository head not readable; checked again next schedule', { repoURL: config.repoURL, branch: config.branch, message: (error as Error).message });
    return false;
  }
  const seen = await deps.store.getHead(config.repoURL, config.branch);
  if (sha === registryRevision || sha === seen?.sha) return false;
  jobs.push({ app: REGISTRY_JOB_APP, cluster: REGISTRY_JOB_CLUSTER, revision: sha, ref: config.branch, reason: 'missed-push', enqueuedAt });
  await deps.store.putHead(config.repoURL, config.branch, sha);
  return true;
}

/** Heads are written only when they moved. */
async function rememberHead(store: StateStore, repoURL: string, branch: string, sha: string): Promise<void> {
  const known = await store.getHead(repoURL, branch);
  if (known?.sha !== sha) await store.putHead(repoURL, branch, sha);
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
