// What the soak concludes from what it saw: every push is put in exactly one bucket, and the
// correctness checks are counted, each from the records a user (or an auditor) would look at:
//
//   applied         a success status was posted for the push's commit, or the target's
//                   history records it Synced
//   dead-lettered   its sync job is in the dead-letter queue; it must carry a failure/error
//                   status as the commit's last one (without one it counts as lost)
//   failed          not applied, its commit's last status is failure/error (the app's retries
//                   ran out, or the input was refused), the job done
//   superseded      none of these, and a newer push of the same app was applied or ended with
//                   a failure/error status: its commit contains this one, so this push is
//                   accounted for by it (the job stood down, as newer-commit-wins says)
//   lost            anything else: must be 0
//
// and, each must be 0: applies out of order (a successful apply of the app's state ConfigMap,
// in the sandbox's request log, or a Synced entry in the target's history, at an older push
// than one applied before it), targets left behind (the live ConfigMap or the target's
// recorded revision older than the newest push with a success status), duplicate creates (a
// second create (201) of one object in the request log with no delete between).
import type { LoggedRequest } from '../../local/sandbox/index.ts';
import type { HistoryEntry, TargetState } from '../../shared/state/types.ts';
import { INITIAL_PUSH, STATE_CONFIGMAP } from './soak-repo.ts';
import type { PostedStatus } from './soak-workers.ts';

export interface SoakPush {
  push: number;
  app: string;
  sha: string;
  /** The webhook's last answer (0: no answer) and how many deliveries it took. */
  webhookStatus: number;
  deliveries: number;
}

export interface SoakEvidence {
  apps: string[];
  initialSha: string;
  pushes: SoakPush[];
  statuses: PostedStatus[];
  deadLetters: Array<{ app: string; revision: string }>;
  history: Map<string, HistoryEntry[]>;
  targets: Map<string, TargetState | undefined>;
  requests: LoggedRequest[];
  /** The `push` field of each app's live state ConfigMap; undefined when it is missing. */
  live: Map<string, number | undefined>;
}

export type Bucket = 'applied' | 'dead-lettered' | 'failed' | 'superseded' | 'lost';

export interface SoakFigures {
  buckets: Record<Bucket, number>;
  /** Dead-lettered pushes whose commit's last status is failure/error. */
  deadLetteredWithStatus: number;
  /** Pushes whose commit's last status stayed `pending` (started, then stood down or cut short). */
  leftPending: number;
  /** The same, by what that last status said: "Syncing …" or "attempt n failed, retrying …". */
  leftPendingAfter: { syncing: number; retrying: number };
  outOfOrder: { cluster: number; history: number };
  leftBehind: number;
  duplicateCreates: number;
  /** One line per must-be-zero finding, naming the push, target or object. */
  problems: string[];
}

export function checkSoak(evidence: SoakEvidence): SoakFigures {
  const problems: string[] = [];
  const pushOf = pushIndex(evidence);
  const statusesOf = (push: SoakPush) => evidence.statuses.filter((status) => status.app === push.app && push.sha.startsWith(status.shaPrefix));
  const applied = (push: SoakPush) =>
    statusesOf(push).some((status) => status.state === 'success') ||
    (evidence.history.get(push.app) ?? []).some((entry) => entry.revision === push.sha && entry.status === 'Synced');
  const lastState = (push: SoakPush) => statusesOf(push).at(-1)?.state;
  const endedFailed = (push: SoakPush) => ['failure', 'error'].includes(lastState(push) ?? '');
  const deadLettered = (push: SoakPush) => evidence.deadLetters.some((letter) => letter.app === push.app && letter.revision === push.sha);

  const buckets: Record<Bucket, number> = { applied: 0, 'dead-lettered': 0, failed: 0, superseded: 0, lost: 0 };
  let deadLetteredWithStatus = 0;
  let leftPending = 0;
  const leftPendingAfter = { syncing: 0, retrying: 0 };
  for (const push of evidence.pushes) {
    const last = statusesOf(push).at(-1);
    if (last?.state === 'pending') {
      leftPending += 1;
      leftPendingAfter[last.description.startsWith('attempt ') ? 'retrying' : 'syncing'] += 1;
    }
    let bucket: Bucket;
    if (applied(push)) bucket = 'applied';
    else if (deadLettered(push)) {
      bucket = 'dead-lettered';
      if (endedFailed(push)) deadLetteredWithStatus += 1;
      else {
        bucket = 'lost';
        problems.push(
          `push ${push.push} (${push.app} ${push.sha.slice(0, 7)}) is in the dead-letter queue without a failure status (last: ${lastState(push) ?? 'none'})`,
        );
      }
    } else if (endedFailed(push)) bucket = 'failed';
    else if (evidence.pushes.some((newer) => newer.app === push.app && newer.push > push.push && (applied(newer) || endedFailed(newer)))) bucket = 'superseded';
    else {
      bucket = 'lost';
      problems.push(
        `push ${push.push} (${push.app} ${push.sha.slice(0, 7)}) lost: webhook ${push.webhookStatus} after ${push.deliveries} deliveries, last status ${lastState(push) ?? 'none'}, nothing newer of ${push.app} accounted for`,
      );
    }
    buckets[bucket] += 1;
  }

  const cluster = clusterOutOfOrder(evidence.requests, problems);
  const history = historyOutOfOrder(evidence, pushOf, problems);

  let leftBehind = 0;
  for (const app of evidence.apps) {
    const newestApplied = Math.max(INITIAL_PUSH, ...evidence.pushes.filter((push) => push.app === app && applied(push)).map((push) => push.push));
    const live = evidence.live.get(app);
    const recorded = evidence.targets.get(app)?.revision;
    const recordedPush = recorded === undefined ? undefined : pushOf.get(recorded);
    if (live === undefined || live < newestApplied || recordedPush === undefined || recordedPush < newestApplied) {
      leftBehind += 1;
      problems.push(
        `${app} left behind: newest applied push ${newestApplied}, live ConfigMap at ${live ?? 'none'}, recorded revision at push ${recordedPush ?? recorded ?? 'none'}`,
      );
    }
  }

  return {
    buckets,
    deadLetteredWithStatus,
    leftPending,
    leftPendingAfter,
    outOfOrder: { cluster, history },
    leftBehind,
    duplicateCreates: duplicateCreates(evidence.requests, problems),
    problems,
  };
}

/** sha → push number; the initial commit is INITIAL_PUSH for every app. */
function pushIndex(evidence: SoakEvidence): Map<string, number> {
  const index = new Map<string, number>([[evidence.initialSha, INITIAL_PUSH]]);
  for (const push of evidence.pushes) index.set(push.sha, push.push);
  return index;
}

/** Successful applies of each app's state ConfigMap, in the order the sandbox answered them. */
function clusterOutOfOrder(requests: LoggedRequest[], problems: string[]): number {
  const highest = new Map<string, number>();
  let count = 0;
  for (const request of requests) {
    if (request.method !== 'PATCH' || request.resource !== 'configmaps' || request.name !== STATE_CONFIGMAP || request.query.dryRun !== undefined) continue;
    if (request.status < 200 || request.status >= 300) continue;
    const push = Number((request.body as { data?: { push?: string } } | undefined)?.data?.push);
    if (!Number.isFinite(push)) continue;
    const namespace = request.namespace ?? '';
    const before = highest.get(namespace);
    if (before !== undefined && push < before) {
      count += 1;
      problems.push(`${namespace}: push ${push} applied (request ${request.seq}) after push ${before}`);
    }
    highest.set(namespace, Math.max(before ?? push, push));
  }
  return count;
}

function historyOutOfOrder(evidence: SoakEvidence, pushOf: Map<string, number>, problems: string[]): number {
  let count = 0;
  for (const [app, entries] of evidence.history) {
    const synced = entries.filter((entry) => entry.status === 'Synced').sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
    let highest: number | undefined;
    for (const entry of synced) {
      const push = pushOf.get(entry.revision);
      if (push === undefined) continue;
      if (highest !== undefined && push < highest) {
        count += 1;
        problems.push(`${app}: history records push ${push} Synced at ${entry.finishedAt}, after push ${highest}`);
      }
      highest = Math.max(highest ?? push, push);
    }
  }
  return count;
}

/** A second 201 for the same object (kind, namespace, name) with no successful DELETE between. */
function duplicateCreates(requests: LoggedRequest[], problems: string[]): number {
  const present = new Set<string>();
  let count = 0;
  for (const request of requests) {
    if (request.query.dryRun !== undefined) continue;
    const name = request.name ?? (request.body as { metadata?: { name?: string } } | undefined)?.metadata?.name;
    if (!request.resource || !name || request.subresource) continue;
    const key = `${request.group ?? ''}/${request.resource} ${request.namespace ?? ''}/${name}`;
    if (request.method === 'DELETE' && request.status >= 200 && request.status < 300) present.delete(key);
    if (request.status !== 201) continue;
    if (present.has(key)) {
      count += 1;
      problems.push(`${key} created twice (request ${request.seq}, ${request.method}) with no delete between`);
    }
    present.add(key);
  }
  return count;
}
