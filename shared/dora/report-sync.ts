// The worker's part: read the target's history before a result is recorded, then hand the
// signals of that result to the sink. Metrics never fail or delay a sync beyond one query:
// a history that cannot be read means no signals for this sync, and a warning.
import { DEFAULT_HISTORY_LIMIT } from '../state/history.ts';
import type { StateStore } from '../state/store.ts';
import type { HistoryEntry, SyncSummary, TargetRef } from '../state/types.ts';
import type { DoraSink } from './sink.ts';
import { anySignal, signalsOf } from './signals.ts';

interface Deps {
  store: Pick<StateStore, 'listHistory'>;
  dora?: DoraSink;
  logger: { warn(message: string, ...extra: Array<Record<string, unknown>>): void };
}

/**
 * The history the signals are read against (as much as the store keeps), or undefined when
 * there is no sink or it cannot be read. A failure that began before the oldest entry kept is
 * measured from that entry.
 */
export async function historyForSignals(deps: Deps, target: TargetRef): Promise<HistoryEntry[] | undefined> {
  if (!deps.dora) return undefined;
  try {
    return await deps.store.listHistory(target.app, target.cluster, DEFAULT_HISTORY_LIMIT);
  } catch (error) {
    deps.logger.warn('history not read: no DORA metrics for this sync', { ...target, error: (error as Error).message });
    return undefined;
  }
}

/** `env`: the cluster's `env` label, when it has one. */
export function reportSignals(deps: Deps, earlier: readonly HistoryEntry[] | undefined, latest: SyncSummary, env?: string): void {
  if (!deps.dora || !earlier) return;
  const target = { app: latest.app, cluster: latest.cluster, ...(env ? { env } : {}) };
  try {
    const signals = signalsOf(earlier, latest);
    if (anySignal(signals)) deps.dora.record(target, signals);
  } catch (error) {
    deps.logger.warn('DORA metrics not emitted', { ...target, error: (error as Error).message });
  }
}
