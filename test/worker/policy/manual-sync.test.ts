// Argo CD: an app without an automated sync policy goes OutOfSync when Git moves, and only a
// manual sync applies the new commit.
import { describe, expect, it } from 'vitest';
import type { AppSpec, SyncPolicy } from '../../../shared/config/types.ts';
import type { SyncJob, SyncTrigger } from '../../../shared/queue/job.ts';
import { manualSyncGate } from '../../../shared/worker/policy/manual-sync.ts';

const revision = 'c0ffee0'.padEnd(40, '0');
const app = (syncPolicy: Partial<SyncPolicy>): AppSpec => ({
  name: 'web',
  project: 'default',
  source: { repoURL: 'https://github.com/acme/gitops.git', targetRevision: 'main', path: 'apps/web' },
  destinations: [{ cluster: 'prod', namespace: 'shop' }],
  syncPolicy: { syncOptions: [], createNamespace: false, ...syncPolicy },
  ignoreDifferences: [],
  definedIn: { file: 'driftless/web.yaml' },
});
const job = (trigger: SyncTrigger, fields: Partial<SyncJob> = {}): SyncJob => ({
  kind: 'sync',
  app: 'web',
  cluster: 'prod',
  revision,
  trigger,
  enqueuedAt: '2025-06-01T12:00:00.000Z',
  ...fields,
});
const manual = app({});

describe('manualSyncGate', () => {
  it('records a new commit as OutOfSync, waiting for a manual sync, when the app has no automated policy', () => {
    for (const trigger of ['push', 'config', 'missed-push', 'self-heal'] as const) {
      expect(manualSyncGate(job(trigger), manual, 'shop')).toEqual({
        namespace: 'shop',
        requestedRevision: revision,
        syncStatus: 'OutOfSync',
        message: 'revision c0ffee0 is waiting for a manual sync (no automated sync policy)',
      });
    }
  });

  it('lets manual syncs, rollbacks and continuations through', () => {
    expect(manualSyncGate(job('manual'), manual, 'shop')).toBeUndefined();
    expect(manualSyncGate(job('rollback'), manual, 'shop')).toBeUndefined();
    expect(manualSyncGate(job('push', { continuation: 2 }), manual, 'shop')).toBeUndefined();
  });

  it('lets everything through when the app syncs automatically', () => {
    expect(manualSyncGate(job('push'), app({ automated: { prune: false, selfHeal: false, allowEmpty: false } }), 'shop')).toBeUndefined();
  });
});
