// Where a sync prunes: by default after the whole sync (PostSync hooks included); with
// PruneLast=true (the app's, or on the live object) in the Sync phase's final wave, after
// every Sync wave passed and before PostSync, where gitops-engine puts those prunes (the
// last Sync wave + 1). Nothing is pruned unless pruning is on, nor after a failed step.
import type { FinalSyncWave } from './apply-steps.ts';
import { finalSyncWaveNumber } from './apply-steps.ts';
import type { ObjectSource } from './changeset.ts';
import type { InventoryEntry } from './inventory.ts';
import type { SyncPlan } from './plan.ts';
import { asksToBePrunedLast, pruneStale, type PruneContext, type PruneResult, type PruneRules } from './prune-step.ts';

export interface PruneWaves {
  /** The final Sync wave, when there is anything it could prune. */
  final?: FinalSyncWave;
  /** The prunes after the sync (none when it failed), with everything the final wave did not prune or keep. */
  afterSync(failed: boolean): Promise<PruneResult>;
}

export function pruneWaves(
  context: PruneContext,
  stale: InventoryEntry[],
  rules: PruneRules,
  options: { enabled: boolean; pruneLast: boolean; plan: SyncPlan<ObjectSource> },
): PruneWaves {
  let last: PruneResult = { changes: [], kept: [], deferred: stale };
  const wave = finalSyncWaveNumber(options.plan);
  const final: FinalSyncWave | undefined =
    options.enabled && stale.length > 0
      ? {
          wave,
          run: async () => {
            last = await pruneStale(context, stale, rules, options.pruneLast ? undefined : asksToBePrunedLast);
            return last.changes.map((change) => ({ ...change, phase: 'Sync' as const, wave }));
          },
        }
      : undefined;
  return {
    final,
    async afterSync(failed) {
      // What the final wave pruned is in the steps' changes already; what it kept is carried.
      const rest = !failed && options.enabled ? await pruneStale(context, last.deferred, rules) : { changes: [], kept: last.deferred, deferred: [] };
      return { changes: rest.changes, kept: [...last.kept, ...rest.kept], deferred: [] };
    },
  };
}
