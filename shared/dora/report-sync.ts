// The worker's part: hand the signals of a result, read against the DORA state the target's
// history left before it (the store keeps it on the target and returns it with the record), to
// the sink. Metrics never fail a sync: a signal that cannot be worked out is a warning.
import type { SyncSummary } from '../state/types.ts';
import type { DoraState } from './events.ts';
import type { DoraSink } from './sink.ts';
import { anySignal, signalsAfter } from './signals.ts';

interface Deps {
  dora?: DoraSink;
  logger: { warn(message: string, ...extra: Array<Record<string, unknown>>): void };
}

/** `env`: the cluster's `env` label, when it has one. */
export function reportSignals(deps: Deps, before: DoraState, latest: SyncSummary, env?: string): void {
  if (!deps.dora) return;
  const target = { app: latest.app, cluster: latest.cluster, ...(env ? { env } : {}) };
  try {
    const { signals } = signalsAfter(before, latest);
    if (anySignal(signals)) deps.dora.record(target, signals);
  } catch (error) {
    deps.logger.warn('DORA metrics not emitted', { ...target, error: (error as Error).message });
  }
}
