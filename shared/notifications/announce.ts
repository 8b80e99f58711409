// The worker's two calls into notifications: after a sync's ending and with a new drift. Each
// decides the triggers (triggers.ts), renders the events (notify.ts) and emits them; a
// notification that cannot be emitted is logged and never fails the sync or the scan.
import type { EventDetailInput } from '../events/event.ts';
import type { EventSink } from '../events/sink.ts';
import type { StateStore } from '../state/store.ts';
import type { TargetRef } from '../state/types.ts';
import type { WorkerLogger } from '../worker/dependencies.ts';
import { notificationEvents, notificationsFor, type AppNotifications, type NotificationBatch } from './notify.ts';
import { firedTriggers, type Notified } from './triggers.ts';
import type { AppSubscription, NotificationsConfig } from './types.ts';

/** What a sync run carries for its ending: the app's setup and what was notified for the target so far. */
export interface RunNotifications {
  setup: AppNotifications;
  notified?: Notified;
}

/** Undefined when nobody subscribed: the run then does nothing about notifications. */
export function runNotifications(
  registry: { notifications?: NotificationsConfig },
  app: { subscriptions?: AppSubscription[] },
  current?: { notified?: Notified },
): RunNotifications | undefined {
  const setup = notificationsFor(registry.notifications, app.subscriptions);
  return setup && { setup, notified: current?.notified };
}

interface Deps {
  store: StateStore;
  events: EventSink;
  logger: WorkerLogger;
}

/** After a final sync ending (its Sync Succeeded / Sync Failed detail); keeps `notified` on the target when it changed. */
export async function notifySyncEnded(deps: Deps, target: TargetRef, notifications: RunNotifications, ended: EventDetailInput, message: string): Promise<void> {
  // Only the key: a caller's richer target (a TargetReport's revision, repoURL) must not be written with it.
  const ref: TargetRef = { app: target.app, cluster: target.cluster };
  const revision = ended.revision ?? '';
  const firing = firedTriggers({ kind: 'sync-ended', succeeded: ended.syncStatus === 'Synced', revision, health: ended.health }, notifications.notified);
  const batch = notificationEvents(notifications.setup, firing.fired, {
    app: ref.app,
    cluster: ref.cluster,
    revision,
    health: ended.health,
    syncStatus: ended.syncStatus,
    message: message.split('\n')[0],
    summary: ended.summary,
    counts: ended.counts,
  });
  if (!(await emitBatch(deps, ref, batch))) return;
  if (firing.changed) {
    await deps.store.putTargetState({ ...ref, notified: firing.notified });
    notifications.notified = firing.notified;
  }
}

/** The app's setup as the stored registry has it now (for the drift scan, which has no registry in hand). */
export async function storedAppNotifications(store: StateStore, app: { subscriptions?: AppSubscription[] }): Promise<AppNotifications | undefined> {
  return notificationsFor((await store.getRegistry())?.registry.notifications, app.subscriptions);
}

/** With a Drift Detected: the on-drift Notification events to emit beside it. */
export function driftNotifications(
  setup: AppNotifications | undefined,
  detected: EventDetailInput,
  time: Date,
  logger?: WorkerLogger,
): NotificationBatch['events'] {
  if (!setup) return [];
  const batch = notificationEvents(
    setup,
    firedTriggers({ kind: 'drift-detected' }).fired,
    {
      app: detected.app,
      cluster: detected.cluster,
      revision: detected.revision,
      syncStatus: detected.syncStatus,
      summary: detected.summary,
      message: detected.summary,
      driftedCount: detected.driftedCount,
    },
    time,
  );
  for (const warning of batch.warnings) logger?.warn('notification template', { app: detected.app, cluster: detected.cluster, warning });
  return batch.events;
}

async function emitBatch(deps: Deps, ref: TargetRef, batch: NotificationBatch): Promise<boolean> {
  for (const warning of batch.warnings) deps.logger.warn('notification template', { ...ref, warning });
  if (batch.events.length === 0) return true;
  try {
    await deps.events.emit(batch.events);
    return true;
  } catch (error) {
    deps.logger.warn('notifications not emitted', { ...ref, count: batch.events.length, error: (error as Error).message });
    return false;
  }
}
