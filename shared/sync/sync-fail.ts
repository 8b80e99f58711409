// Run SyncFail hooks: after a failed sync, the plan's SyncFail steps in order (Argo CD's
// SyncFail phase). They get a minute past the sync's deadline, because the failure that
// brought them here is often the deadline itself.
import type { StepContext } from './apply-step.ts';
import { stepChange, type ObjectChange, type ObjectSource } from './changeset.ts';
import type { SyncPlan } from './plan.ts';
import { runHooks } from './run-hooks.ts';

const GRACE_MS = 60_000;

export async function runSyncFailHooks(context: StepContext, plan: SyncPlan<ObjectSource>): Promise<ObjectChange[]> {
  const changes: ObjectChange[] = [];
  for (const step of plan.steps.filter((candidate) => candidate.phase === 'SyncFail')) {
    // A dry run writes nothing, hooks included, as in the other phases.
    if (context.dryRun) changes.push(...step.objects.map((hook) => stepChange(hook, step, { action: 'skipped', message: 'hooks do not run in a dry run' })));
    else
      changes.push(
        ...(await runHooks({ ...context, deadline: context.deadline + GRACE_MS }, step.objects, (planned, fields) => stepChange(planned, step, fields))),
      );
  }
  return changes;
}
