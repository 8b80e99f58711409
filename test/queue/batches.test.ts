import { describe, expect, it } from 'vitest';
import { planBatches } from '../../shared/queue/batches.ts';

describe('planBatches', () => {
  it('cuts into batches of 10 that need not wait for each other when no target repeats', () => {
    const batches = planBatches(
      Array.from({ length: 25 }, (_, i) => `t${i}`),
      (item) => item,
    );
    expect(batches.map((batch) => batch.items.length)).toEqual([10, 10, 5]);
    expect(batches.map((batch) => batch.after)).toEqual([[], [], []]);
  });

  it('makes a batch wait for the last earlier batch with a job of the same target', () => {
    const items = [...Array.from({ length: 10 }, (_, i) => (i === 0 ? 'web' : `a${i}`)), ...Array.from({ length: 10 }, (_, i) => `b${i}`), 'web'];
    const batches = planBatches(items, (item) => item);
    expect(batches.map((batch) => batch.after)).toEqual([[], [], [0]]);
  });
});
