// Whether a sync waiting for health should stop waiting: Flux's CancelHealthCheckOnNewRevision
// (kustomize-controller, a feature gate there, on by default here). Flux cancels an ongoing
// health check once a newer source revision is there, marks the Kustomization's Ready
// condition HealthCheckCanceled and reconciles the new revision at once. Ours asks the
// target's item: a newer commit requested for the target, or, for a sync a rollout started,
// the target no longer taking part in that rollout (a newer rollout of the set replaced it).
// A cancelled sync is superseded, not failed: OutOfSync on the target, `failure` on its commit
// (it was not deployed, as for any superseded commit: superseded.ts), and no retry.
import { shortSha } from '../../operations/short-sha.ts';

/** What the sync job says of itself: its commit and, when a rollout started it, which one. */
export interface CancelHealthJob {
  revision: string;
  rollout?: { set: string; id: string };
}

/** What the target's item says now (requestSync sets `requestedRevision`; the rollout sets `rollout`). */
export interface CancelHealthTarget {
  requestedRevision?: string;
  rollout?: { set: string; id: string };
}

export interface HealthCancellation {
  /** Recorded on the target and in its history. */
  message: string;
  /** The commit status of the cancelled commit (state `failure`). */
  status: string;
}

/** Undefined while the job is still the one the target wants; a target whose item is gone is not cancelled by this. */
export function healthCheckCancellation(job: CancelHealthJob, target: CancelHealthTarget | undefined): HealthCancellation | undefined {
  if (!target) return undefined;
  const mine = shortSha(job.revision);
  const requested = target.requestedRevision;
  if (requested !== undefined && requested !== job.revision) {
    const newer = shortSha(requested);
    return {
      message: `health check cancelled: ${mine} superseded by ${newer}`,
      status: `superseded by ${newer} while waiting for health: health check cancelled`,
    };
  }
  if (job.rollout && (target.rollout?.set !== job.rollout.set || target.rollout.id !== job.rollout.id)) {
    const rollout = `rollout ${shortSha(job.rollout.id)} of ${job.rollout.set}`;
    const newer = target.rollout
      ? `rollout ${shortSha(target.rollout.id)}${target.rollout.set === job.rollout.set ? '' : ` of ${target.rollout.set}`}`
      : undefined;
    return newer
      ? {
          message: `health check cancelled: ${mine} (${rollout}) superseded by ${newer}`,
          status: `superseded by ${newer} while waiting for health: health check cancelled`,
        }
      : {
          message: `health check cancelled: ${mine}: ${rollout} no longer includes this target`,
          status: `${rollout} no longer includes this target: health check cancelled`,
        };
  }
  return undefined;
}
