// Where a finished sync's DORA signals go: the Lambda worker makes CloudWatch metrics of them
// (cloudwatch.ts); local mode and tests may leave it out, and nothing is read for them then.
import type { TargetRef } from '../state/types.ts';
import type { DoraSignals } from './signals.ts';

/** The target, with its cluster's `env` label when it has one. */
export type DoraTarget = TargetRef & { env?: string };

export interface DoraSink {
  record(target: DoraTarget, signals: DoraSignals): void;
}
