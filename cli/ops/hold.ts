// Suspend and resume: the `suspended` flag (and a rollback's pin) on each target of an app.
// The worker reads them (shared/worker/sync-target.ts): a held target applies no push,
// config change or self-heal, only manual and rollback syncs.
import type { TargetRef } from '../../shared/state/types.ts';
import type { Backend } from './backend.ts';

export async function suspendTarget(backend: Backend, target: TargetRef): Promise<void> {
  await backend.store.putTargetState({ ...target, suspended: true });
}

/** Lifts the suspension and the pin; returns the pin that was lifted, if any. */
export async function resumeTarget(backend: Backend, target: TargetRef): Promise<string | undefined> {
  const state = await backend.store.getTarget(target.app, target.cluster);
  await backend.store.putTargetState({ ...target, suspended: false }, { remove: ['pinnedRevision'] });
  return state?.pinnedRevision;
}
