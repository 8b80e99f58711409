// Argo CD's RollingSync "will force all generated Applications to have autosync disabled" and
// triggers each step's syncs itself, "the same way as if they were triggered by the UI or CLI":
// a sync the rollout starts is not held by the manual-sync gate, while a plain push of an app
// without an automated policy still is.
import { expect, it } from 'vitest';
import type { AppSpec } from '../../shared/config/types.ts';
import type { SyncJob } from '../../shared/queue/job.ts';
import { manualSyncGate } from '../../shared/worker/policy/manual-sync.ts';

const app = { name: 'guestbook-dev', syncPolicy: { syncOptions: [], createNamespace: false } } as unknown as AppSpec;
const push: SyncJob = { kind: 'sync', app: 'guestbook-dev', cluster: 'dev', revision: 'a'.repeat(40), trigger: 'push', enqueuedAt: '2026-12-01T12:00:00.000Z' };

it("let a rollout's sync of an app without an automated policy through; hold a plain push of it", () => {
  expect(manualSyncGate({ ...push, rollout: { set: 'guestbook', id: 'a'.repeat(40) } }, app, 'guestbook')).toBeUndefined();
  expect(manualSyncGate(push, app, 'guestbook')).toMatchObject({ syncStatus: 'OutOfSync' });
});
