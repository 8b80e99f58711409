// Missed pushes: GitHub does not retry a failed webhook delivery, so every schedule asks for
// the head of each tracked branch (one call per repository and branch, however many apps
// and clusters follow it) and finds the targets that are behind it. A target is therefore
// never more than one schedule period behind its branch.
import pLimit from 'p-limit';
import { isChartSource } from '../config/app-sources.ts';
import { repoKey } from '../config/repo-url.ts';
import type { AppSpec, Registry } from '../config/types.ts';
import { BranchNotFoundError } from '../github/errors.ts';
import type { BranchHeads } from '../github/heads.ts';
import { targetId } from '../queue/job.ts';
import { isLocalRepo, parseRepoURL } from '../github/repo-url.ts';
import { LocalRepoNotAllowedError } from '../source/errors.ts';
import type { TargetState } from '../state/types.ts';

export interface TrackedBranch {
  repoURL: string;
  /** Branch names to try in order: `HEAD` is the default branch, `main` or else `master`. */
  candidates: string[];
  apps: AppSpec[];
}

export interface BranchHead {
  repoURL: string;
  branch: string;
  sha: string;
}

export interface BehindTarget {
  app: string;
  cluster: string;
  /** The branch head to sync. */
  revision: string;
  branch: string;
  /** What the target is on now (undefined: never synced). */
  current?: string;
}

export interface HeadCheck {
  heads: BranchHead[];
  behind: BehindTarget[];
  /** Branches whose head could not be read (not a branch, GitHub unavailable): retried next schedule. */
  errors: Array<{ repoURL: string; branch: string; message: string }>;
}

const SHA = /^[0-9a-f]{40}$/i;
const GUESSED_DEFAULT_BRANCHES = ['main', 'master'];

/** Distinct (repository, branch) pairs followed by automated apps; tags and shas never move. */
export function trackedBranches(registry: Registry): TrackedBranch[] {
  const byKey = new Map<string, TrackedBranch>();
  for (const app of registry.apps) {
    if (!app.syncPolicy.automated) continue;
    // An app of charts alone follows no branch: it moves with config pushes.
    if (isChartSource(app.source)) continue;
    const candidates = branchCandidates(app.source.targetRevision);
    if (!candidates) continue;
    const key = `${repoKey(app.source.repoURL)}#${candidates.join(',')}`;
    const tracked = byKey.get(key) ?? { repoURL: app.source.repoURL, candidates, apps: [] };
    tracked.apps.push(app);
    byKey.set(key, tracked);
  }
  return [...byKey.values()];
}

function branchCandidates(targetRevision: string): string[] | undefined {
  const revision = targetRevision.trim();
  if (revision === '' || revision === 'HEAD') return GUESSED_DEFAULT_BRANCHES;
  if (SHA.test(revision) || revision.startsWith('refs/tags/')) return undefined;
  return [revision.replace(/^refs\/heads\//, '')];
}

export async function checkHeads(heads: BranchHeads, registry: Registry, targets: TargetState[], concurrency = 4): Promise<HeadCheck> {
  const byTarget = new Map(targets.map((target) => [targetId(target.app, target.cluster), target]));
  const limit = pLimit(concurrency);
  const result: HeadCheck = { heads: [], behind: [], errors: [] };
  await Promise.all(
    trackedBranches(registry).map((tracked) =>
      limit(async () => {
        const head = await readHead(heads, tracked, result);
        if (!head) return;
        result.heads.push(head);
        for (const app of tracked.apps) {
          for (const destination of app.destinations) {
            const target = byTarget.get(targetId(app.name, destination.cluster));
            // Held targets (suspended, or pinned by a rollback) do not follow their branch.
            if (target && isHeld(target)) continue;
            // Already there, or already asked for (its sync is queued, running or failed).
            if (target?.revision === head.sha || target?.requestedRevision === head.sha) continue;
            // Held by a RollingSync rollout at this commit: the rollout syncs it when its step comes (shared/rollout/).
            if (target?.rollout?.revision === head.sha) continue;
            result.behind.push({ app: app.name, cluster: destination.cluster, revision: head.sha, branch: head.branch, current: target?.revision });
          }
        }
      }),
    ),
  );
  return result;
}

async function readHead(heads: BranchHeads, tracked: TrackedBranch, result: HeadCheck): Promise<BranchHead | undefined> {
  for (const branch of tracked.candidates) {
    try {
      return { repoURL: tracked.repoURL, branch, sha: await heads.head(tracked.repoURL, branch) };
    } catch (error) {
      // A tag looks like a branch name until the branch is not found; the next guess may exist.
      if (error instanceof BranchNotFoundError && branch !== tracked.candidates[tracked.candidates.length - 1]) continue;
      result.errors.push({ repoURL: tracked.repoURL, branch, message: (error as Error).message });
      return undefined;
    }
  }
  return undefined;
}

/**
 * GitHub for GitHub URLs, `git rev-parse` for local repositories — only in local mode, which
 * passes `local`: elsewhere a path repoURL would run git on the worker's own disk.
 */
export class RoutingBranchHeads implements BranchHeads {
  readonly #github: BranchHeads | undefined;
  readonly #local: BranchHeads | undefined;

  constructor(options: { github?: BranchHeads; local?: BranchHeads }) {
    this.#github = options.github;
    this.#local = options.local;
  }

  async head(repoURL: string, branch: string): Promise<string> {
    if (isLocalRepo(parseRepoURL(repoURL))) {
      if (!this.#local) throw new LocalRepoNotAllowedError(repoURL);
      return this.#local.head(repoURL, branch);
    }
    if (!this.#github) throw new BranchNotFoundError(repoURL, branch, { cause: new Error('no GitHub credentials configured') });
    return this.#github.head(repoURL, branch);
  }
}

/** `driftless suspend` / `driftless rollback`: automated syncs (missed-push, self-heal) are not applied. */
export function isHeld(target: Pick<TargetState, 'suspended' | 'pinnedRevision'>): boolean {
  return Boolean(target.suspended || target.pinnedRevision);
}
