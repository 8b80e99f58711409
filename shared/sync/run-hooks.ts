// Runs the hooks of one step: replace what an earlier run left (BeforeHookCreation),
// create, wait for completion, then delete per policy (HookSucceeded / HookFailed). A wait that
// the sync's cancellation stops (a newer revision: CancelHealthCheckOnNewRevision) leaves the
// hook as it is — neither policy applies to a hook that has not finished — and the reason on the
// context, where applySteps stops.
import pLimit from 'p-limit';
import { FIELD_MANAGER, applyWave, foreignOwner } from '../kube/apply.ts';
import type { KubeClient } from '../kube/client.ts';
import type { Discovery } from '../kube/discovery.ts';
import { KubeApiError } from '../kube/errors.ts';
import { getObject } from '../kube/live.ts';
import { createObject, deleteObject, waitDeleted } from '../kube/objects.ts';
import { describeObject, type KubeObject } from '../kube/object.ts';
import { waitForHealth } from '../kube/wait.ts';
import type { ChangeFields, ObjectChange } from './changeset.ts';
import { fieldValidation } from './object-write.ts';
import type { PlannedObject } from './plan.ts';

export interface HookContext {
  client: KubeClient;
  discovery: Discovery;
  deadline: number;
  concurrency: number;
  /** The app's Validate option (a hook's own Validate=false turns it off for that hook). */
  validate: boolean;
  /** Asked while a hook is waited for; set when it cancelled the wait (apply-step.ts's HealthCancel). */
  cancel?: { check: () => Promise<string | undefined>; reason?: string };
}

type Change<S> = (planned: PlannedObject<S>, fields: ChangeFields) => ObjectChange;

export async function runHooks<S>(context: HookContext, hooks: PlannedObject<S>[], change: Change<S>): Promise<ObjectChange[]> {
  const limit = pLimit(context.concurrency);
  return Promise.all(hooks.map((hook) => limit(() => runHook(context, hook, change))));
}

async function runHook<S>(context: HookContext, hook: PlannedObject<S>, change: Change<S>): Promise<ObjectChange> {
  const { client, discovery, deadline } = context;
  const started = performance.now();
  const policies = hook.deletePolicies.length > 0 ? hook.deletePolicies : ['BeforeHookCreation'];
  const object = hook.object;
  try {
    let created: KubeObject;
    if (object.metadata.name) {
      const info = await discovery.resolve(object.apiVersion, object.kind);
      const previous = await getObject(client, info, object.metadata.namespace, object.metadata.name);
      // Another app's object of that name is neither replaced nor applied over.
      const owner = previous && foreignOwner(object, previous);
      if (owner) return change(hook, { action: 'failed', message: owner, durationMs: elapsed(started) });
      if (previous && policies.includes('BeforeHookCreation')) {
        if ((await deleteObject(client, discovery, previous)) && !(await waitDeleted(client, discovery, previous, deadline))) {
          return change(hook, {
            action: 'failed',
            message: `the previous run of hook ${describeObject(object)} is still being deleted`,
            durationMs: elapsed(started),
          });
        }
      }
      const request = { desired: object, unchangedInGit: false, fieldValidation: fieldValidation(hook.syncOptions, context) };
      const [outcome] = await applyWave(client, discovery, [request], { concurrency: 1 });
      if (outcome.action === 'failed' || !outcome.live) return change(hook, { action: 'failed', message: outcome.error, durationMs: elapsed(started) });
      created = outcome.live;
    } else {
      created = await createObject(client, discovery, object, FIELD_MANAGER);
    }
    const cancel = context.cancel;
    const waited = await waitForHealth(client, discovery, [created], { deadline, cancelled: cancel && (() => cancel.check()) });
    const health = waited.health[0]!;
    if (cancel && waited.cancelled !== undefined) {
      cancel.reason ??= waited.cancelled;
      const message = `health check cancelled: hook ${describeObject(created)} left running (${health.status})`;
      return change(hook, { name: created.metadata.name ?? '', action: 'failed', health: health.status, message, durationMs: elapsed(started) });
    }
    const succeeded = health.status === 'Healthy';
    const finished = { ...created, metadata: { ...created.metadata } };
    if ((succeeded && policies.includes('HookSucceeded')) || (!succeeded && policies.includes('HookFailed'))) {
      await deleteObject(client, discovery, finished);
    }
    const name = created.metadata.name ?? '';
    if (succeeded) return change(hook, { name, action: 'created', health: health.status, message: health.message, durationMs: elapsed(started) });
    const why =
      health.status === 'Degraded'
        ? (health.message ?? 'failed')
        : `did not complete before the sync timed out (${health.status}${health.message ? `: ${health.message}` : ''})`;
    return change(hook, { name, action: 'failed', health: health.status, message: `hook ${describeObject(created)} ${why}`, durationMs: elapsed(started) });
  } catch (error) {
    const message = error instanceof KubeApiError ? (error.status.message ?? error.message) : (error as Error).message;
    return change(hook, { action: 'failed', message, durationMs: elapsed(started) });
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
