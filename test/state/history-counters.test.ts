// Which history counters an append deletes: with entry `seq` written and `keep` kept, the one
// at seq - keep falls out; a limit lowered since the last append lets go of everything between.
import { describe, expect, it } from 'vitest';
import { countersBeyond } from '../../shared/state/history.ts';
import { historyKey, historySeqKey, isHistorySeqKey } from '../../shared/state/keys.ts';

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

describe('the history keys of the counter', () => {
  const ref = { app: 'web', cluster: 'prod' };
  it('sort as numbers, and before the time keys of releases before (a rolled-back release finds its own newest)', () => {
    const keys = [
      historySeqKey(ref, 1010).sk,
      historySeqKey(ref, 999).sk,
      historyKey(ref, '2025-06-01T12:00:00.000Z', 'ab12cd34').sk,
      historySeqKey(ref, 1001).sk,
    ];
    expect([...keys].sort()).toEqual([historySeqKey(ref, 999).sk, historySeqKey(ref, 1001).sk, historySeqKey(ref, 1010).sk, keys[2]]);
    expect(keys.map(isHistorySeqKey)).toEqual([true, true, false, true]);
  });
});
