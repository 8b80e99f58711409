// The worker's part: hand the signals of a result, read against the history the store had
// before it (recordSync returns it, read with the trim), to the sink. Metrics never fail a
// sync: a signal that cannot be worked out is a warning.
import type { HistoryEntry, SyncSummary } from '../state/types.ts';
import type { DoraSink } from './sink.ts';
import { anySignal, signalsOf } from './signals.ts';

interface Deps {
  dora?: DoraSink;
  logger: { warn(message: string, ...extra: Array<Record<string, unknown>>): void };
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
