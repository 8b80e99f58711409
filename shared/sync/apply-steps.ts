// Apply steps: the plan's steps in order (SyncFail steps excepted: they run only after a
// failure, see sync-fail.ts), stopping at the first step that failed. A final wave of the
// Sync phase may run after its last wave and before PostSync: Argo CD's PruneLast, whose
// prunes gitops-engine moves to the wave after the last Sync wave. A step whose health wait
// was cancelled (context.cancel) ends the steps there: nothing later is applied or run.
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
  /** Why a health wait was cancelled (then also the failure): the sync was superseded, not failed. */
  cancelled?: string;
}

/** A wave of the Sync phase that is not in the plan: run after every Sync wave passed, before PostSync. */
export interface FinalSyncWave {
  wave: number;
  run(): Promise<ObjectChange[]>;
}

export async function applySteps(
  context: StepContext,
  plan: SyncPlan<ObjectSource>,
  basis: ApplyBasis,
  onStep?: (event: StepEvent) => void,
  final?: FinalSyncWave,
): Promise<StepsResult> {
  const changes: ObjectChange[] = [];
  let finalPending = final;
  const runFinal = async (): Promise<string | undefined> => {
    if (!finalPending) return undefined;
    const { wave, run } = finalPending;
    finalPending = undefined;
    const waveChanges = await run();
    // Only a wave that did something is worth a line of progress.
    if (waveChanges.length > 0) {
      onStep?.({ phase: 'Sync', wave, state: 'started', objects: waveChanges.length });
      onStep?.({ phase: 'Sync', wave, state: 'finished', objects: waveChanges.length, changes: waveChanges });
    }
    changes.push(...waveChanges);
    return stepFailure({ phase: 'Sync', wave }, waveChanges, context.dryRun);
  };
  for (const step of plan.steps.filter((candidate) => candidate.phase !== 'SyncFail')) {
    if (step.phase === 'PostSync') {
      const failure = await runFinal();
      const cancelled = context.cancel?.reason;
      if (cancelled !== undefined) return { changes, failure: cancelled, cancelled };
      if (failure) return { changes, failure };
    }
    onStep?.({ phase: step.phase, wave: step.wave, state: 'started', objects: step.objects.length });
    const stepChanges = await applyStep(context, step, basis);
    changes.push(...stepChanges);
    onStep?.({ phase: step.phase, wave: step.wave, state: 'finished', objects: step.objects.length, changes: stepChanges });
    const cancelled = context.cancel?.reason;
    if (cancelled !== undefined) return { changes, failure: cancelled, cancelled };
    const failure = stepFailure(step, stepChanges, context.dryRun);
    if (failure) return { changes, failure };
  }
  const failure = await runFinal();
  const cancelled = context.cancel?.reason;
  if (cancelled !== undefined) return { changes, failure: cancelled, cancelled };
  return failure ? { changes, failure } : { changes };
}

/** gitops-engine's PruneLast wave: one after the last Sync wave (counting from 0 when there is none above it). */
export function finalSyncWaveNumber(plan: SyncPlan<unknown>): number {
  return Math.max(0, ...plan.steps.filter((step) => step.phase === 'Sync').map((step) => step.wave)) + 1;
}
