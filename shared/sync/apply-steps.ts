// Apply steps: the plan's steps in order (SyncFail steps excepted: they run only after a
// failure, see sync-fail.ts), stopping at the first step that failed.
import { applyStep, type ApplyBasis, type StepContext } from './apply-step.ts';
import type { ObjectChange, ObjectSource } from './changeset.ts';
import type { SyncPlan } from './plan.ts';
import { stepFailure } from './step-failed.ts';

export interface StepEvent {
  phase: string;
  wave: number;
  state: 'started' | 'finished';
  objects: number;
  changes?: ObjectChange[];
}

export interface StepsResult {
  changes: ObjectChange[];
  /** Why the sync failed, naming the step and its failed objects; undefined when every step passed. */
  failure?: string;
}

export async function applySteps(
  context: StepContext,
  plan: SyncPlan<ObjectSource>,
  basis: ApplyBasis,
  onStep?: (event: StepEvent) => void,
): Promise<StepsResult> {
  const changes: ObjectChange[] = [];
  for (const step of plan.steps.filter((candidate) => candidate.phase !== 'SyncFail')) {
    onStep?.({ phase: step.phase, wave: step.wave, state: 'started', objects: step.objects.length });
    const stepChanges = await applyStep(context, step, basis);
    changes.push(...stepChanges);
    onStep?.({ phase: step.phase, wave: step.wave, state: 'finished', objects: step.objects.length, changes: stepChanges });
    const failure = stepFailure(step, stepChanges, context.dryRun);
    if (failure) return { changes, failure };
  }
  return { changes };
}
