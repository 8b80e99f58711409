// One step of the plan (a phase and wave): its resources kind by kind in install order, each
// kind's objects in parallel; a CRD established before its custom resources; the step's
// resources waited for until healthy; then, if none of that failed, the step's hooks.
// An object that fails to apply does not stop the rest of its wave: as gitops-engine's
// runTasks (pkg/sync/sync_context.go) applies every kind group of the wave whatever the
// state and only then fails the sync, every resource of the step is applied; the step then
// fails without waiting for health, and no later step runs. A wait for health cancelled from
// outside (a newer revision, CancelHealthCheckOnNewRevision) ends the step at once: its hooks
// do not run, and the cancellation is left on the context for applySteps to stop at.
import { applyWave, type ApplyOutcome, type ApplyRequest } from '../kube/apply.ts';
import { getObject } from '../kube/live.ts';
import { describeObject, type KubeObject } from '../kube/object.ts';
import { objectRefusal, type ProjectBounds } from '../project/check-objects.ts';
import { objectKey } from '../kube/tracking.ts';
import { isSettled, waitForHealth, waitHealthy } from '../kube/wait.ts';
import { stepChange, type ObjectChange, type ObjectSource } from './changeset.ts';
import { batchesByKind } from './kind-order.ts';
import { writeRequest, type WriteSettings } from './object-write.ts';
import type { PlannedObject, SyncStep } from './plan.ts';
import { runHooks, type HookContext } from './run-hooks.ts';
import { stepFailure } from './step-failed.ts';

export interface StepContext extends HookContext {
  dryRun: boolean;
  /** The app's project, for resources whose kind was not served before the sync (SkipDryRunOnMissingResource). */
  project?: ProjectBounds;
  /** How resources are written: the app's Replace, Validate, ApplyOutOfSyncOnly, RespectIgnoreDifferences. */
  write: WriteSettings;
  /** Asked while the step's resources are waited for; set when it cancelled a wait. */
  cancel?: HealthCancel;
}

/** A sync's cancellation of its health waits: `check` gives a reason to stop; the first one given is kept in `reason`. */
export interface HealthCancel {
  check: () => Promise<string | undefined>;
  reason?: string;
}

/** What the step's applies compare against, read once before the first step. */
export interface ApplyBasis {
  /** Live objects by objectKey. */
  live: ReadonlyMap<string, KubeObject>;
  /** objectKeys of the objects whose Git version is the one the previous sync applied. */
  unchangedInGit: ReadonlySet<string>;
  /** objectKeys of resources whose kind the cluster did not serve before the sync (SkipDryRunOnMissingResource). */
  notServedYet: ReadonlySet<string>;
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
    const prepared = await Promise.all(batch.map((planned) => prepareWrite(context, basis, planned)));
    const written = await applyWave(
      client,
      discovery,
      prepared.flatMap((entry) => ('request' in entry ? [entry.request] : [])),
      { dryRun, concurrency },
    );
    let next = 0;
    const applied = prepared.map((entry, index): ApplyOutcome =>
      'request' in entry ? written[next++] : { desired: batch[index].object, action: 'failed', error: entry.refusal, durationMs: 0 },
    );
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

/** The write of one resource, or why it cannot be written. */
async function prepareWrite(context: StepContext, basis: ApplyBasis, planned: Planned): Promise<{ request: ApplyRequest } | { refusal: string }> {
  const { object, syncOptions } = planned;
  const key = objectKey(object);
  let live = basis.live.get(key);
  if (basis.notServedYet.has(key)) {
    const late = await lateKind(context, object);
    if ('refusal' in late) return late;
    live = late.live;
  }
  return { request: writeRequest({ object, syncOptions, live, unchangedInGit: basis.unchangedInGit.has(key) }, context.write) };
}

/**
 * A resource whose kind was not served before the sync, now that its wave has come: served
 * now (a controller or an earlier wave made its CRD) and permitted by the project, with its
 * live object read; or why it cannot be written.
 */
async function lateKind(context: StepContext, object: KubeObject): Promise<{ live?: KubeObject } | { refusal: string }> {
  context.discovery.forget(object.apiVersion);
  const info = await context.discovery.lookup(object.apiVersion, object.kind);
  if (!info) {
    return {
      refusal: `no matches for kind "${object.kind}" in version "${object.apiVersion}" on the cluster when its wave came (SkipDryRunOnMissingResource=true let it past the checks before the sync)`,
    };
  }
  if (info.namespaced && !object.metadata.namespace) return { refusal: `${describeObject(object)}: is namespaced but has no namespace` };
  const ref = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: info.namespaced ? object.metadata.namespace : undefined,
    name: object.metadata.name ?? '',
  };
  const refusal = context.project && objectRefusal(context.project, ref, info.namespaced);
  if (refusal) return { refusal: `not permitted: ${refusal}` };
  return { live: await getObject(context.client, info, ref.namespace, ref.name) };
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
  const cancel = context.cancel;
  const { health, cancelled } = await waitForHealth(
    context.client,
    context.discovery,
    applied.map((outcome) => outcome.live as KubeObject),
    { deadline: context.deadline, cancelled: cancel && (() => cancel.check()) },
  );
  if (cancel && cancelled !== undefined) cancel.reason = cancelled;
  const stoppedWaiting = cancelled !== undefined ? 'health check cancelled' : 'not healthy before the sync timed out';
  return outcomes.map((outcome, index) => {
    const assessed = outcome.live ? health[applied.indexOf(outcome)] : undefined;
    const unsettled = assessed && !isSettled(assessed.status) && assessed.status !== 'Degraded';
    const message =
      outcome.error ?? (unsettled ? `${stoppedWaiting}: ${assessed.status}${assessed.message ? ` (${assessed.message})` : ''}` : assessed?.message);
    return stepChange(resources[index], step, { action: outcome.action, health: assessed?.status, message, durationMs: outcome.durationMs });
  });
}
