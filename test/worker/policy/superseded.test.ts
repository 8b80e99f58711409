// A commit whose job left a pending status and then stood down for a newer commit gets a final
// `failure` status saying it was superseded; a commit the job never spoke about gets nothing.
import { describe, expect, it } from 'vitest';
import { supersededStatus } from '../../../shared/worker/policy/superseded.ts';

const old = 'a'.repeat(40);
const newer = 'b'.repeat(40);

describe('supersededStatus', () => {
  it('resolves the pending status this commit was left with, naming the newer commit', () => {
    expect(supersededStatus(old, newer, { sha: old, state: 'pending', description: 'attempt 1 failed, retrying in 2s' })).toBe(
      'superseded by bbbbbbb before it was applied: not applied',
    );
  });

  it('posts nothing when the last status belongs to another commit', () => {
    expect(supersededStatus(old, newer, { sha: newer, state: 'pending', description: 'Syncing web to prod' })).toBeUndefined();
    expect(supersededStatus(old, newer, undefined)).toBeUndefined();
  });

  it('posts nothing over a final status of the same commit', () => {
    expect(supersededStatus(old, newer, { sha: old, state: 'success', description: 'Synced' })).toBeUndefined();
    expect(supersededStatus(old, newer, { sha: old, state: 'failure', description: 'Sync failed' })).toBeUndefined();
  });
});
