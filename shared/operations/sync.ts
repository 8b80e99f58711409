// Which commit a manual sync (`driftless sync APP`, the dashboard's Sync) of one target asks
// for: the pin a rollback left, which a sync must not move off; else the revision asked for;
// else the head of the branch the app tracks, falling back to the last requested commit when
// the head cannot be resolved (GitHub down) but is not missing.
import { targetId } from '../queue/job.ts';
import type { TargetRef } from '../state/types.ts';
import type { OperationDeps } from './deps.ts';
import { NotFoundError, RefusedError } from './errors.ts';
import { shortSha } from './short-sha.ts';

export interface SyncRevisionOptions {
  /** The full sha the caller asked for, resolved. */
  wanted?: string;
  /** As the caller wrote it (a branch, tag or short sha), for the refusal's hint. */
  wantedAs?: string;
  /** The head of the app's branch; called at most once per target. */
  head: () => Promise<string>;
  /** Told when the head could not be resolved and the last requested commit is synced instead. */
  onHeadFallback?: (error: Error, fallback: string) => void;
}

export async function syncRevision(deps: Pick<OperationDeps, 'store'>, target: TargetRef, options: SyncRevisionOptions): Promise<string> {
  // A consistent read of the pin right before the request: a sync must not move off it.
  const state = await deps.store.getTarget(target.app, target.cluster);
  if (state?.pinnedRevision) {
    if (options.wanted && options.wanted !== state.pinnedRevision) {
      throw new RefusedError(
        `${targetId(target.app, target.cluster)} is pinned to ${shortSha(state.pinnedRevision)} by a rollback: move the pin with driftless rollback ${target.app} --to ${options.wantedAs ?? options.wanted}, or lift it with driftless resume ${target.app}`,
      );
    }
    return state.pinnedRevision;
  }
  if (options.wanted) return options.wanted;
  return options.head().catch((error: unknown) => {
    if (error instanceof NotFoundError || !state?.requestedRevision) throw error;
    options.onHeadFallback?.(error as Error, state.requestedRevision);
    return state.requestedRevision;
  });
}
