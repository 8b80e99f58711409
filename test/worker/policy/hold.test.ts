// The pin/suspend rule as `driftless rollback`, `suspend` and `resume` document it: a held
// target takes no automated sync (push, config, missed-push, self-heal) until resume; the
// skipped commit gets a failure status naming the hold and the way out; self-heal posts
// nothing; manual syncs, rollbacks and continuations go ahead.
import { describe, expect, it } from 'vitest';
import type { SyncJob, SyncTrigger } from '../../../shared/queue/job.ts';
import type { TargetState } from '../../../shared/state/types.ts';
import { decideHold } from '../../../shared/worker/policy/hold.ts';

const pinned = 'a'.repeat(40);
const pushed = 'b'.repeat(40);
const job = (revision: string, trigger: SyncTrigger, fields: Partial<SyncJob> = {}): SyncJob => ({
  kind: 'sync',
  app: 'web',
  cluster: 'prod',
  revision,
  trigger,
  enqueuedAt: '2025-06-01T12:00:00.000Z',
  ...fields,
});
const target = (fields: Partial<TargetState>): TargetState => ({ app: 'web', cluster: 'prod', revision: pinned, ...fields });

describe('decideHold', () => {
  it('lets every job through on a target that is neither pinned nor suspended', () => {
    expect(decideHold(job(pushed, 'push'), target({}), 'shop')).toEqual({ action: 'go', reclaim: false });
    expect(decideHold(job(pushed, 'push'), undefined, 'shop')).toEqual({ action: 'go', reclaim: false });
  });

  it('holds a push on a pinned target, keeps the pin as the requested commit and says why on the pushed commit', () => {
    const decision = decideHold(job(pushed, 'push'), target({ pinnedRevision: pinned, requestedRevision: pushed }), 'shop');
    expect(decision).toEqual({
      action: 'skip',
      hold: 'pinned to aaaaaaa',
      update: { requestedRevision: pinned },
      failure: 'not applied: web@prod is pinned to aaaaaaa (driftless resume web)',
    });
  });

  it('holds config and missed-push syncs the same way', () => {
    for (const trigger of ['config', 'missed-push'] as const) {
      expect(decideHold(job(pushed, trigger), target({ pinnedRevision: pinned, requestedRevision: pinned }), 'shop')).toEqual({
        action: 'skip',
        hold: 'pinned to aaaaaaa',
        failure: 'not applied: web@prod is pinned to aaaaaaa (driftless resume web)',
      });
    }
  });

  it('posts nothing for an automated job of the pinned commit itself', () => {
    expect(decideHold(job(pinned, 'push'), target({ pinnedRevision: pinned, requestedRevision: pinned }), 'shop')).toEqual({
      action: 'skip',
      hold: 'pinned to aaaaaaa',
    });
  });

  it('records a suspended target as OutOfSync with the new commit not applied', () => {
    expect(decideHold(job(pushed, 'push'), target({ suspended: true }), 'shop')).toEqual({
      action: 'skip',
      hold: 'suspended',
      update: { namespace: 'shop', syncStatus: 'OutOfSync', message: 'suspended: revision bbbbbbb not applied (driftless resume web)' },
      failure: 'not applied: web@prod is suspended (driftless resume web)',
    });
  });

  it('holds self-heal silently: its commit is the one applied, whose status stays', () => {
    expect(decideHold(job(pinned, 'self-heal'), target({ suspended: true }), 'shop')).toEqual({ action: 'skip', hold: 'suspended' });
    expect(decideHold(job(pinned, 'self-heal'), target({ pinnedRevision: pinned, requestedRevision: pinned }), 'shop')).toEqual({
      action: 'skip',
      hold: 'pinned to aaaaaaa',
    });
  });

  it('lets manual syncs and rollbacks through, claiming the pinned commit back from a push that requested another', () => {
    expect(decideHold(job(pinned, 'rollback'), target({ pinnedRevision: pinned, requestedRevision: pushed }), 'shop')).toEqual({ action: 'go', reclaim: true });
    expect(decideHold(job(pinned, 'manual'), target({ pinnedRevision: pinned, requestedRevision: pinned }), 'shop')).toEqual({ action: 'go', reclaim: false });
    expect(decideHold(job(pushed, 'manual'), target({ suspended: true }), 'shop')).toEqual({ action: 'go', reclaim: false });
  });

  it('lets a continuation finish what it started, whatever its trigger', () => {
    expect(decideHold(job(pushed, 'push', { continuation: 1 }), target({ suspended: true }), 'shop')).toEqual({ action: 'go', reclaim: false });
  });
});
