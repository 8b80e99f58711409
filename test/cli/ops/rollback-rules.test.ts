// Which commit `driftless rollback` goes to, and which it refuses.
import { describe, expect, it } from 'vitest';
import { closestNames } from '../../../shared/operations/lookup.ts';
import { RollbackRefusedError } from '../../../shared/operations/errors.ts';
import { chooseRollbackRevision } from '../../../shared/operations/rollback-rules.ts';
import type { HistoryEntry } from '../../../shared/state/types.ts';

const sha = (digit: string) => digit.repeat(40);
function entry(revision: string, status: HistoryEntry['status'] = 'Synced'): HistoryEntry {
  return {
    app: 'web',
    cluster: 'prod',
    id: revision.slice(0, 4),
    revision,
    status,
    health: 'Healthy',
    message: '',
    startedAt: '',
    finishedAt: '',
    durationMs: 1,
    counts: {},
  };
}
// Newest first: c is applied now, b failed, a and d synced before.
const history = [entry(sha('c')), entry(sha('b'), 'Failed'), entry(sha('a')), entry(sha('c')), entry(sha('d'))];

describe('rollback rules', () => {
  it('previous is the newest successful sync of another commit than the applied one', () => {
    expect(chooseRollbackRevision(history, sha('c'), 'previous').revision).toBe(sha('a'));
  });

  it('a recorded commit is found by a prefix of at least 4 digits', () => {
    expect(chooseRollbackRevision(history, sha('c'), 'dddd').revision).toBe(sha('d'));
    expect(() => chooseRollbackRevision(history, sha('c'), 'ddd')).toThrow(/at least 4 hex digits/);
  });

  it('refuses a commit that never synced to the target, or only failed to, unless forced', () => {
    expect(() => chooseRollbackRevision(history, sha('c'), sha('e'))).toThrow(RollbackRefusedError);
    expect(() => chooseRollbackRevision(history, sha('c'), sha('e'))).toThrow(
      /was never synced to web@prod .*successful syncs: ccccccc, aaaaaaa, ddddddd.*--force/,
    );
    expect(() => chooseRollbackRevision(history, sha('c'), 'bbbbbbb')).toThrow(/bbbbbbb was synced to web@prod but never successfully/);
    expect(chooseRollbackRevision(history, sha('c'), 'bbbbbbb', true).revision).toBe(sha('b'));
    expect(chooseRollbackRevision(history, sha('c'), sha('e'), true)).toEqual({ revision: sha('e') });
    expect(() => chooseRollbackRevision(history, sha('c'), 'eeeeeee', true)).toThrow(/full 40-digit sha/);
  });

  it('has nothing to go back to when every successful sync is of the applied commit', () => {
    expect(() => chooseRollbackRevision([entry(sha('c')), entry(sha('b'), 'Failed')], sha('c'), 'previous')).toThrow(/no earlier successful sync/);
  });
});

describe('closest names', () => {
  it('suggests names a typo away, nearest first, and nothing for unrelated names', () => {
    expect(closestNames('wbe', ['web', 'api', 'worker'])).toEqual(['web']);
    expect(closestNames('paymnts', ['payments', 'payments-db', 'web'])).toEqual(['payments']);
    expect(closestNames('pay', ['payments', 'web'])).toEqual(['payments']);
    expect(closestNames('checkout', ['web', 'api'])).toEqual([]);
  });
});
