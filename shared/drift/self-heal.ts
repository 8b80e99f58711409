// Self-heal: a drifted target with `selfHeal` on gets a sync of the revision it is already on.
// Whether it waits is decided per drifted field, not per target:
//
// - Drift whose objects and field paths were not healed since the last clean scan is new
//   (someone's `kubectl edit`, a deleted ConfigMap): it is healed at once, at the scan that
//   finds it, even right after a heal of something else.
// - The same field (or the same missing object) drifting again after a heal is a fight — an
//   operator, an HPA not listed in ignoreDifferences — and backs off as Argo CD's self-heal
//   does with its defaults (Argo CD 3.x `--self-heal-backoff-timeout-seconds` 2, `-factor` 3,
//   `-cap-seconds` 300): after the n-th heal of it the next waits 2 s, 6 s, 18 s, 54 s, 162 s,
//   then 300 s. A drift made only of fights waits for the longest of its waits.
// - A clean scan forgets it all. Argo CD 3.0–3.2 kept the count for
//   `--self-heal-backoff-cooldown-seconds` (330 s) of being synced; 3.3 deprecated that flag
//   because it reset the count too early. We need no cooldown: a scan runs at most once per
//   schedule period, so a fighter slower than the period (a clean scan seen in between) is
//   healed at most once per two periods anyway.
//
// Storm bound, per fighting object: heals at 0, 2, 8, 26, 80, 242 s and then every 300 s, so at
// most 17 in the first hour of a fight and 12 in each hour after, and never more than one per
// scan (one per period: with the default 5-minute schedule, 12 an hour). A heal for new drift
// elsewhere in the app re-applies the fighting object too; it counts as one of its heals.
//
// Self-heal honours the project's sync windows (healWindow): no heal while they hold automated
// syncs back.
//
// The record of what was healed is a hash per field, at most MAX_HEAL_RECORDS of them (the
// oldest go first), kept on the target: small, and never a name or a value.
import { createHash } from 'node:crypto';
import type { ProjectSpec } from '../config/types.ts';
import { groupOf } from '../kube/object.ts';
import type { SyncJob } from '../queue/job.ts';
import type { JobQueue } from '../queue/queue.ts';
import type { StateStore } from '../state/store.ts';
import type { HealRecord, TargetState } from '../state/types.ts';
import type { ObjectDrift } from './types.ts';
import { decideSyncWindow, type WindowTarget } from '../worker/policy/sync-window.ts';

/** Argo CD's defaults for its self-heal backoff. */
export const SELF_HEAL_BACKOFF = { initialMs: 2_000, factor: 3, capMs: 300_000 } as const;
export const MAX_HEAL_RECORDS = 50;

/** Wait after the `attempts`-th heal of the same drift before the next may start (0 before the first). */
export function selfHealDelayMs(attempts: number): number {
  if (attempts < 1) return 0;
  return Math.min(SELF_HEAL_BACKOFF.initialMs * SELF_HEAL_BACKOFF.factor ** (attempts - 1), SELF_HEAL_BACKOFF.capMs);
}

/**
 * One key per thing a heal puts back: each drifted field path of a modified object, and each
 * missing object. Orphans give none: a self-heal sync does not remove them (prune is off).
 */
export function healKeys(objects: readonly ObjectDrift[]): string[] {
  const keys = objects.flatMap((object) => {
    if (object.state === 'orphaned') return [];
    const ref = [groupOf(object.apiVersion), object.kind, object.namespace ?? '', object.name].join('/');
    if (object.state === 'missing' || !object.fields?.length) return [hashKey(`${ref}#(${object.state})`)];
    return object.fields.map((field) => hashKey(`${ref}#${field.path}`));
  });
  return [...new Set(keys)];
}

function hashKey(text: string): string {
  // 64 bits: collisions among at most 50 records are out of reach, and the item stays small.
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export type HealDecision =
  /** Heal now; `records` replace the target's. `fights` counts the keys that drifted again after a heal. */
  | { action: 'heal'; records: HealRecord[]; fresh: number; fights: number }
  /** Every drifted key is a fight still backing off. */
  | { action: 'wait'; until: string; fights: number }
  /** A newer commit is requested (its sync is queued or failing): healing to the old one would undo it. */
  | { action: 'newer-revision-pending'; requestedRevision: string }
  /** The project's sync windows hold automated syncs back now: the first scan after `opensAt` heals. */
  | { action: 'outside-sync-window'; window: string; opensAt?: string };

/**
 * Self-heal honours sync windows, as Argo CD's auto-sync does: a heal is an automated sync.
 * Outside the windows the drift is recorded and announced, nothing is enqueued and nothing
 * counts as healed, so the first scan once the window is open heals what is still drifted.
 */
export function healWindow(project: Pick<ProjectSpec, 'syncWindows'> | undefined, target: WindowTarget, now: Date): HealDecision | undefined {
  const decision = decideSyncWindow(project?.syncWindows ?? [], target, 'self-heal', now);
  if (decision.action === 'sync') return undefined;
  return {
    action: 'outside-sync-window',
    window: decision.window,
    ...(decision.action === 'wait' && decision.opensAt ? { opensAt: decision.opensAt.toISOString() } : {}),
  };
}

/** Pure: what to do about drift found at `now`, given what earlier heals healed. */
export function decideHeal(target: Pick<TargetState, 'revision' | 'requestedRevision' | 'selfHealRecords'>, keys: readonly string[], now: Date): HealDecision {
  if (target.requestedRevision && target.requestedRevision !== target.revision) {
    return { action: 'newer-revision-pending', requestedRevision: target.requestedRevision };
  }
  const previous = new Map((target.selfHealRecords ?? []).map((record) => [record.key, record]));
  const fights = keys.flatMap((key) => previous.get(key) ?? []);
  const fresh = keys.length - fights.length;
  if (fresh === 0 && fights.length > 0) {
    const due = Math.max(...fights.map((record) => Date.parse(record.healedAt) + selfHealDelayMs(record.attempts)));
    if (due > now.getTime()) return { action: 'wait', until: new Date(due).toISOString(), fights: fights.length };
  }
  const healedAt = now.toISOString();
  for (const key of keys) previous.set(key, { key, attempts: (previous.get(key)?.attempts ?? 0) + 1, healedAt });
  // Newest first, then cut: the oldest records go when the bound is reached.
  const records = [...previous.values()].sort((a, b) => Date.parse(b.healedAt) - Date.parse(a.healedAt)).slice(0, MAX_HEAL_RECORDS);
  return { action: 'heal', records, fresh, fights: fights.length };
}

/** Requests the sync first (the worker only proceeds for the requested revision), then enqueues it. */
export async function enqueueHeal(
  deps: { store: StateStore; queue: JobQueue },
  target: { app: string; cluster: string },
  revision: string,
  now: Date,
): Promise<SyncJob> {
  const job: SyncJob = { kind: 'sync', app: target.app, cluster: target.cluster, revision, trigger: 'self-heal', enqueuedAt: now.toISOString() };
  await deps.store.requestSync(target, revision);
  await deps.queue.enqueue([job]);
  return job;
}
