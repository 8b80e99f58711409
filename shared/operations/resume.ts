// Resuming a target (`driftless resume`, the dashboard's Resume): the suspension and the pin
// lifted, then the head of the app's branch synced so the target catches up with Git. The
// caller resolves the head first: one that cannot be resolved leaves the holds in place.
import type { TargetRef } from '../state/types.ts';
import type { OperationDeps } from './deps.ts';
import { resumeTarget } from './hold.ts';
import { requestTargetSync, type SyncRequest } from './request.ts';

export async function resumeAndSync(deps: OperationDeps, target: TargetRef, head: string, ref: string): Promise<SyncRequest> {
  await resumeTarget(deps, target);
  return requestTargetSync(deps, target, head, 'manual', ref);
}
