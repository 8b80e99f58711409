// Summarise: the change set of a finished sync, from what each step did. Status, the app's
// health, one message for people, and the inventory the next sync prunes by.
import type { HealthStatus } from '../kube/health/status.ts';
import { countActions, worstHealth, type ChangeSet, type ObjectChange } from './changeset.ts';
import { entryKey, type Inventory, type InventoryEntry } from './inventory.ts';

export interface SyncOutcome {
  app: string;
  revision?: string;
  dryRun: boolean;
  startedAt: Date;
  /** Every change, in the order it happened. */
  changes: ObjectChange[];
  /** Why the sync stopped early (a namespace, a step); undefined when it ran to the end. */
  failure?: string;
  /** What the sync applies, with the fingerprints of this render. */
  desired: InventoryEntry[];
  /** objectKeys of the desired objects that were applied (or found up to date) this time. */
  applied: ReadonlySet<string>;
  /** Entries of the previous inventory no longer desired but still ours on the cluster. */
  carried: InventoryEntry[];
  previous?: Inventory;
  /** Said with the result: appended to the message and kept in `warnings`. */
  warnings?: string[];
}

export function summarise(outcome: SyncOutcome): ChangeSet {
  const { app, revision, changes, failure } = outcome;
  const failed = changes.filter((entry) => entry.action === 'failed');
  const counts = countActions(changes);
  const summary = `${counts.created} created, ${counts.configured} configured, ${counts.unchanged} unchanged, ${counts.pruned} pruned, ${counts.failed} failed`;
  // Hooks come and go and skipped or pruned objects are not part of the app any more.
  const health: HealthStatus = worstHealth(
    changes.filter((entry) => !entry.hook && entry.action !== 'pruned' && entry.action !== 'skipped').map((entry) => entry.health),
  );
  const warnings = outcome.warnings ?? [];
  const message = failure ?? (failed.length > 0 ? `${summary}: ${failed.map((entry) => `${entry.object}: ${entry.message}`).join('; ')}` : summary);
  return {
    app,
    revision,
    status: failure || failed.length > 0 ? 'Failed' : 'Succeeded',
    health,
    message: warnings.length > 0 ? `${message} (warning: ${warnings.join('; ')})` : message,
    ...(warnings.length > 0 ? { warnings } : {}),
    dryRun: outcome.dryRun,
    objects: changes,
    inventory: outcome.dryRun
      ? outcome.previous
      : {
          app,
          revision,
          // An object not applied this time keeps no fingerprint, so the next sync applies it.
          entries: [...outcome.desired.map((entry) => (outcome.applied.has(entryKey(entry)) ? entry : { ...entry, fingerprint: '' })), ...outcome.carried],
        },
    startedAt: outcome.startedAt.toISOString(),
    durationMs: Date.now() - outcome.startedAt.getTime(),
  };
}
