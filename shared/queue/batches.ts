// Splits jobs into SendMessageBatch calls (10 entries at most) that may run in parallel
// without reordering a target's jobs: a batch waits for every earlier batch that carries a job
// of the same message group. One push touches each target once, so usually nothing waits.
export const MAX_BATCH_ENTRIES = 10;

export interface Batch<T> {
  items: T[];
  /** Indexes of earlier batches that must be sent first. */
  after: number[];
}

export function planBatches<T>(items: T[], groupOf: (item: T) => string, size = MAX_BATCH_ENTRIES): Batch<T>[] {
  const batches: Batch<T>[] = [];
  const lastBatchOfGroup = new Map<string, number>();
  for (let start = 0; start < items.length; start += size) {
    const index = batches.length;
    const chunk = items.slice(start, start + size);
    const after = new Set<number>();
    for (const item of chunk) {
      const group = groupOf(item);
      const previous = lastBatchOfGroup.get(group);
      if (previous !== undefined && previous !== index) after.add(previous);
      lastBatchOfGroup.set(group, index);
    }
    batches.push({ items: chunk, after: [...after] });
  }
  return batches;
}
