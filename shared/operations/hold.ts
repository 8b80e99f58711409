// Suspend, pin and resume: the `suspended` flag and a rollback's pin on each target of an app.
// The worker reads them (shared/worker/sync-target.ts): a held target applies no push,
// config change or self-heal, only manual and rollback syncs.
import type { StateStore } from '../state/store.ts';
import type { TargetRef } from '../state/types.ts';
import { shortSha } from './short-sha.ts';

export async function suspendTarget(deps: { store: StateStore }, target: TargetRef): Promise<void> {
  await deps.store.putTargetState({ ...target, suspended: true });
}

/** A rollback's hold: suspended and pinned to `revision` until resume. */
export async function pinTarget(deps: { store: StateStore }, target: TargetRef, revision: string): Promise<void> {
  await deps.store.putTargetState({ ...target, suspended: true, pinnedRevision: revision, message: `pinned to ${shortSha(revision)} by rollback` });
}

/** Lifts the suspension and the pin. */
export async function resumeTarget(deps: { store: StateStore }, target: TargetRef): Promise<void> {
  await deps.store.putTargetState({ ...target, suspended: false }, { remove: ['pinnedRevision'] });
}
