// A progressive rollout of one commit across the apps of an ApplicationSet with a RollingSync
// strategy (shared/rollout/): one small item per set, never one that grows with the set. Which
// targets take part is kept on each target's own item (`TargetRollout`), so a set of 10,000
// apps costs 10,000 target writes, as a plain push would, and a fixed-size rollout item.

/** On a target's item: it takes part in rollout `id` of `set` and is to be synced at `revision`. */
export interface TargetRollout {
  set: string;
  /** The rollout's id: the commit that started it (the push's head, or the config commit). */
  id: string;
  /** The commit this target syncs to in the rollout (its own source's, so it may differ from `id`). */
  revision: string;
}

export type RolloutStatus = 'running' | 'waiting' | 'halted' | 'done' | 'aborted';

export interface RolloutState {
  set: string;
  /** The commit that started it; a newer rollout of the set replaces the item (and supersedes this one). */
  id: string;
  /** `running`: a step's apps are syncing; `waiting`: at a gate (soak, alarms); `halted`: a failed or Degraded app or an alarm stopped it; `done`; `aborted` by a person. */
  status: RolloutStatus;
  /** The step under way, halted or gated: 0-based. */
  step: number;
  steps: number;
  /** Why it halted or was aborted, or what the gate waits for ("soak: 4m 10s left", "alarm api-5xx is INSUFFICIENT_DATA"). */
  reason?: string;
  /** When every app of the current step was first Synced and Healthy at its commit: the soak counts from here. */
  healthySince?: string;
  /** A step whose gate a person skipped (`driftless rollout promote`). */
  promoted?: number;
  /** Who aborted or promoted it, for messages. */
  by?: string;
  trigger: string;
  deliveryId?: string;
  /** The head commit's time, for DORA (kept on the syncs the rollout starts). */
  committedAt?: string;
  /** The repository the commit statuses of the rollout go to. */
  repoURL?: string;
  startedAt: string;
  updatedAt: string;
  /** When the wake-up timer the rollout waits for is due (a gate's, or a re-check's): no second timer is sent before it. */
  wakeAt?: string;
  /** Bumped by every write (shared/state/rollout-state.ts): a write names the version it read, so a step and a person's abort never overwrite each other. */
  version?: number;
}
