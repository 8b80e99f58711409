// The one rule for "a step failed", asked twice: after a step's resources are applied and
// assessed (its hooks do not run if they failed) and after its hooks ran (the next step does
// not start). A step fails when an object failed to apply or run, is Degraded, or, outside a
// dry run, is still not Healthy (or Suspended) once the wait for it is over. A dry run waits
// for nothing, so health that has not settled says nothing there.
import { isSettled } from '../kube/wait.ts';
import type { ObjectChange } from './changeset.ts';
import type { SyncStep } from './plan.ts';

export function failedChange(change: ObjectChange, dryRun: boolean): boolean {
  if (change.action === 'failed' || change.health === 'Degraded') return true;
  return !dryRun && change.health !== undefined && !isSettled(change.health);
}

/** Why the step failed, naming each object that failed it; undefined when it did not. */
export function stepFailure(step: Pick<SyncStep, 'phase' | 'wave'>, changes: ObjectChange[], dryRun: boolean): string | undefined {
  const failed = changes.filter((change) => failedChange(change, dryRun));
  if (failed.length === 0) return undefined;
  return `${step.phase} wave ${step.wave} failed: ${failed.map((change) => `${change.object}: ${change.message ?? change.health}`).join('; ')}`;
}
