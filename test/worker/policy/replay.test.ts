// The replay rule: only revisions a webhook delivery carries are checked against what is
// applied, at most one question each, none when nothing is applied or the revision is it.
import { describe, expect, it } from 'vitest';
import type { RegistryRefreshJob, SyncJob, SyncTrigger } from '../../../shared/queue/job.ts';
import { registryReplayQuestion, staleRevisionMessage, syncReplayQuestion } from '../../../shared/worker/policy/replay.ts';

const applied = 'a'.repeat(40);
const pushed = 'b'.repeat(40);
const job = (trigger: SyncTrigger, fields: Partial<SyncJob> = {}): SyncJob => ({
  kind: 'sync',
  app: 'web',
  cluster: 'prod',
  revision: pushed,
  trigger,
  enqueuedAt: '2025-06-01T12:00:00.000Z',
  ...fields,
});
const refresh = (trigger: RegistryRefreshJob['trigger']): RegistryRefreshJob => ({
  kind: 'registry-refresh',
  revision: pushed,
  ref: 'main',
  trigger,
  enqueuedAt: '2025-06-01T12:00:00.000Z',
});

describe('syncReplayQuestion', () => {
  it('asks whether a pushed revision is in the history of the applied one', () => {
    expect(syncReplayQuestion(job('push'), applied)).toEqual({ ancestor: pushed, descendant: applied });
  });

  it('asks nothing when nothing is applied yet, or the pushed revision is the applied one', () => {
    expect(syncReplayQuestion(job('push'), undefined)).toBeUndefined();
    expect(syncReplayQuestion(job('push'), pushed)).toBeUndefined();
    expect(syncReplayQuestion(job('push'), pushed.toUpperCase())).toBeUndefined();
  });

  it('exempts what no delivery carries: manual syncs, rollbacks, config, missed-push, self-heal, continuations', () => {
    for (const trigger of ['manual', 'rollback', 'config', 'missed-push', 'self-heal'] as const)
      expect(syncReplayQuestion(job(trigger), applied), trigger).toBeUndefined();
    expect(syncReplayQuestion(job('push', { continuation: 1 }), applied)).toBeUndefined();
  });
});

describe('registryReplayQuestion', () => {
  it('asks for a refresh a config push asked for, over the recorded registry revision', () => {
    expect(registryReplayQuestion(refresh('config'), applied)).toEqual({ ancestor: pushed, descendant: applied });
    expect(registryReplayQuestion(refresh('config'), undefined)).toBeUndefined();
    expect(registryReplayQuestion(refresh('config'), pushed)).toBeUndefined();
  });

  it('exempts the refresh the drift scan plans from the branch head it read itself', () => {
    expect(registryReplayQuestion(refresh('missed-push'), applied)).toBeUndefined();
  });
});

describe('staleRevisionMessage', () => {
  it('names both commits and why nothing was applied', () => {
    expect(staleRevisionMessage(pushed, applied)).toBe('revision bbbbbbb is older than the applied aaaaaaa: not applied (a replayed or out-of-order push)');
  });
});
