// Suspend, pin and resume: the `suspended` flag and a rollback's pin on each target of an app.
// The worker reads them (shared/worker/sync-target.ts): a held target applies no push,
// config change or self-heal, only manual and rollback syncs.
import type { TargetRef } from '../../shared/state/types.ts';
import type { Backend } from './backend.ts';
import { shortSha } from './output.ts';

export async function suspendTarget(backend: Backend, target: TargetRef): Promise<void> {
  await backend.store.putTargetState({ ...target, suspended: true });
}

/** A rollback's hold: suspended and pinned to `revision` until resume. */
export async function pinTarget(backend: Backend, target: TargetRef, revision: string): Promise<void> {
  await backend.store.putTargetState({ ...target, suspended: true, pinnedRevision: revision, message: `pinned to ${shortSha(revision)} by rollback` });
}

/** Lifts the suspension and the pin. */
export async function resumeTarget(backend: Backend, target: TargetRef): Promise<void> {
  await backend.store.putTargetState({ ...target, suspended: false }, { remove: ['pinnedRevision'] });
}
