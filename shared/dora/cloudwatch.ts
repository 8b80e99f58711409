// The worker's DORA signals as CloudWatch metrics (Powertools EMF lines): Deployment and
// ChangeFailure (counts), LeadTimeSeconds and TimeToRestoreSeconds (seconds).
//
// Every metric name × distinct set of dimension values is a custom metric CloudWatch bills
// (US$0.30 a month each in the first tier). So the dimensions are opt-in: by default only the
// function's own (`service`), 4 metrics for the whole fleet; DORA_METRIC_DIMENSIONS=env makes 4
// per value of the clusters' `env` label (`none` for a cluster without one), =cluster 4 per
// cluster, =app,cluster 4 per app × cluster (500 targets: 2,000 metrics, ~US$600 a month).
// `driftless apps --dora` gives the per-target figures from history at no cost.
import type { DoraTarget } from './sink.ts';
import type { DoraSignals } from './signals.ts';

export const DORA_METRIC_DIMENSIONS = ['app', 'cluster', 'env'] as const;
export type DoraDimension = (typeof DORA_METRIC_DIMENSIONS)[number];

export const DORA_METRICS = {
  deployment: 'Deployment',
  changeFailure: 'ChangeFailure',
  leadTime: 'LeadTimeSeconds',
  timeToRestore: 'TimeToRestoreSeconds',
} as const;

/** The slice of Powertools' Metrics used: one EMF document per metric, with its own dimensions. */
export interface SingleMetricSource {
  singleMetric(): { addDimension(name: string, value: string): unknown; addMetric(name: string, unit: 'Count' | 'Seconds', value: number): unknown };
}

/** DORA_METRIC_DIMENSIONS ("app,cluster", "env", "" or unset for none); names it does not know are returned apart. */
export function parseDoraDimensions(value: string | undefined): { dimensions: DoraDimension[]; unknown: string[] } {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const known = (name: string): name is DoraDimension => (DORA_METRIC_DIMENSIONS as readonly string[]).includes(name);
  return { dimensions: [...new Set(names.filter(known))], unknown: names.filter((name) => !known(name)) };
}

/** A cluster without an `env` label, as the `env` dimension names it. */
export const NO_ENV = 'none';

export function emitDoraMetrics(metrics: SingleMetricSource, dimensions: readonly DoraDimension[], target: DoraTarget, signals: DoraSignals): void {
  const emit = (name: string, unit: 'Count' | 'Seconds', value: number) => {
    // A single metric is flushed as soon as it is added, so each one carries the target's dimensions.
    const single = metrics.singleMetric();
    for (const dimension of dimensions) single.addDimension(dimension, target[dimension] ?? NO_ENV);
    single.addMetric(name, unit, value);
  };
  if (signals.deployment) emit(DORA_METRICS.deployment, 'Count', 1);
  if (signals.changeFailure) emit(DORA_METRICS.changeFailure, 'Count', 1);
  if (signals.leadTimeSeconds !== undefined) emit(DORA_METRICS.leadTime, 'Seconds', signals.leadTimeSeconds);
  if (signals.timeToRestoreSeconds !== undefined) emit(DORA_METRICS.timeToRestore, 'Seconds', signals.timeToRestoreSeconds);
}
