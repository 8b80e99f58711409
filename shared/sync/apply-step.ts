// One step of the plan (a phase and wave): its resources kind by kind in install order, each
// kind's objects in parallel; a CRD established before its custom resources; the step's
// resources waited for until healthy; then, if none of that failed, the step's hooks.
// An object that fails to apply does not stop the rest of its wave: as gitops-engine's
// runTasks (pkg/sync/sync_context.go) applies every kind group of the wave whatever the
// state and only then fails the sync, every resource of the step is applied; the step then
// fails without waiting for health, and no later step runs.
import { applyWave, type ApplyOutcome } from '../kube/apply.ts';
import type { KubeObject } from '../kube/object.ts';
import { objectKey } from '../kube/tracking.ts';
import { isSettled, waitHealthy } from '../kube/wait.ts';
import { stepChange, type ObjectChange, type ObjectSource } from './changeset.ts';
import { batchesByKind } from './kind-order.ts';
import { writeRequest, type WriteSettings } from './object-write.ts';
import type { PlannedObject, SyncStep } from './plan.ts';
import { runHooks, type HookContext } from './run-hooks.ts';
import { stepFailure } from './step-failed.ts';

export interface StepContext extends HookContext {
  dryRun: boolean;
  /** How resources are written: the app's Replace, Validate, ApplyOutOfSyncOnly, RespectIgnoreDifferences. */
  write: WriteSettings;
}

/** What the step's applies compare against, read once before the first step. */
export interface ApplyBasis {
  /** Live objects by objectKey. */
  live: ReadonlyMap<string, KubeObject>;
  /** objectKeys of the objects whose Git version is the one the previous sync applied. */
  unchangedInGit: ReadonlySet<string>;
}

type Step = SyncStep<ObjectSource>;
type Planned = PlannedObject<ObjectSource>;

export async function applyStep(context: StepContext, step: Step, basis: ApplyBasis): Promise<ObjectChange[]> {
  const hooks = step.objects.filter((planned) => planned.isHook);
  const resources = step.objects.filter((planned) => !planned.isHook);
  const outcomes = await applyResources(context, resources, basis);
  const changes = await assess(context, step, resources, outcomes);
  if (hooks.length === 0 || stepFailure(step, changes, context.dryRun)) return changes;
  if (context.dryRun) changes.push(...hooks.map((hook) => stepChange(hook, step, { action: 'skipped', message: 'hooks do not run in a dry run' })));
  else changes.push(...(await runHooks(context, hooks, (planned, fields) => stepChange(planned, step, fields))));
  return changes;
}

/** Outcomes in the order of `resources`, every kind applied even after one failed. */
async function applyResources(context: StepContext, resources: Planned[], basis: ApplyBasis): Promise<ApplyOutcome[]> {
  const { client, discovery, dryRun, concurrency, deadline } = context;
  const outcomes: ApplyOutcome[] = [];
  for (const batch of batchesByKind(resources, ({ object }) => object)) {
    const requests = batch.map(({ object, syncOptions }) =>
      writeRequest({ object, syncOptions, live: basis.live.get(objectKey(object)), unchangedInGit: basis.unchangedInGit.has(objectKey(object)) }, context.write),
    );
    const applied = await applyWave(client, discovery, requests, { dryRun, concurrency });
    outcomes.push(...applied);
    if (batch[0].object.kind === 'CustomResourceDefinition' && !dryRun) {
      // Only the definitions that applied can become Established; a failed one is the wave's failure.
      const created = applied.filter((outcome) => outcome.live);
      const established = await waitHealthy(
        client,
        discovery,
        created.map((outcome) => outcome.live as KubeObject),
        { deadline },
      );
      // Keep what was read, so the step's health check does not read the CRDs again.
      created.forEach((outcome, index) => (outcome.live = established[index].live ?? outcome.live));
      // The new kinds are served now: discovery must ask again rather than answer "unknown".
      for (const { object } of batch) {
        const spec = object.spec as { group?: string; versions?: Array<{ name: string }> };
        for (const version of spec.versions ?? []) discovery.forget(`${spec.group}/${version.name}`);
      }
    }
  }
  return outcomes;
}

/**
 * The change of each applied resource, with its health once settled. Not in a dry run
 * (nothing changed to wait for), and not when an apply failed: the step has failed already,
 * and Argo CD fails the sync then instead of waiting for the rest to become healthy.
 */
async function assess(context: StepContext, step: Step, resources: Planned[], outcomes: ApplyOutcome[]): Promise<ObjectChange[]> {
  if (context.dryRun || outcomes.some((outcome) => outcome.action === 'failed')) {
    return outcomes.map((outcome, index) =>
      stepChange(resources[index], step, { action: outcome.action, message: outcome.error, durationMs: outcome.durationMs }),
    );
  }
  const applied = outcomes.filter((outcome) => outcome.live);
  const health = await waitHealthy(
    context.client,
    context.discovery,
    applied.map((outcome) => outcome.live as KubeObject),
    { deadline: context.deadline },
  );
  return outcomes.map((outcome, index) => {
    const assessed = outcome.live ? health[applied.indexOf(outcome)] : undefined;
    const timedOut = assessed && !isSettled(assessed.status) && assessed.status !== 'Degraded';
    const message =
      outcome.error ??
      (timedOut ? `not healthy before the sync timed out: ${assessed.status}${assessed.message ? ` (${assessed.message})` : ''}` : assessed?.message);
    return stepChange(resources[index], step, { action: outcome.action, health: assessed?.status, message, durationMs: outcome.durationMs });
  });
}
