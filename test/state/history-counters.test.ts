// Which history counters an append deletes: with entry `seq` written and `keep` kept, the one
// at seq - keep falls out; a limit lowered since the last append lets go of everything between.
import { describe, expect, it } from 'vitest';
import { countersBeyond } from '../../shared/state/history.ts';

describe('the history entries an append pushes out', () => {
  it('is the one `keep` behind the new entry at an unchanged limit', () => {
    expect(countersBeyond(1051, 50, 50)).toEqual([1001]);
  });

  it('is none that can exist while the partition is not full yet (counters start above 0)', () => {
    expect(countersBeyond(3, 50, 50)).toEqual([]);
  });

  it('is every entry between the old and the new limit when the limit was lowered', () => {
    expect(countersBeyond(1010, 5, 3)).toEqual([1005, 1006, 1007]);
  });

  it('is the one behind the new, larger limit when it was raised (it never existed: deleting it is harmless)', () => {
    expect(countersBeyond(1010, 3, 5)).toEqual([1005]);
  });
});
