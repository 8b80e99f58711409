// Records a scan's outcome on the target and announces changes. Nothing is written when
// nothing changed (status, drifted objects, why it is unknown, self-heal records), except `lastScannedAt`,
// refreshed at most once an hour so readers can tell a live scanner from a dead one without
// a write per target per schedule. `Drift Detected` / `Drift Resolved` are emitted on the
// transition only, before the state is written: a failed write re-announces on the next scan
// rather than losing the event.
import type { DriftlessEvent } from '../events/event.ts';
import type { EventSink } from '../events/sink.ts';
import { driftNotifications } from '../notifications/announce.ts';
import type { AppNotifications } from '../notifications/notify.ts';
import type { WorkerLogger } from '../worker/dependencies.ts';
import type { StateStore } from '../state/store.ts';
import { MAX_DRIFTED_OBJECTS } from '../state/target-item.ts';
import type { DriftedObject, DriftStatus, TargetField, TargetFields, TargetState } from '../state/types.ts';
import { storedDrift } from './summary.ts';
import type { ObjectDrift } from './types.ts';

export const LAST_SCANNED_REFRESH_MS = 60 * 60_000;

export interface DriftOutcome {
  status: DriftStatus;
  objects: ObjectDrift[];
  revision?: string;
  scannedAt: Date;
  /** For `Unknown`: why (kept as `driftReason` until the status is known again). */
  reason?: string;
  /** Extra fields to set (self-heal records) and remove (their reset). */
  set?: Partial<TargetFields>;
  remove?: TargetField[];
}

export interface RecordResult {
  written: boolean;
  event?: 'Drift Detected' | 'Drift Resolved';
}

/**
 * `notifications`: the app's subscriptions, asked for only when drift is new (a registry read on
 * a transition, not on every scan); their on-drift Notification events go out with Drift Detected.
 */
export async function recordDrift(
  deps: { store: StateStore; events: EventSink; logger?: WorkerLogger },
  previous: TargetState,
  outcome: DriftOutcome,
  notifications?: () => Promise<AppNotifications | undefined>,
): Promise<RecordResult> {
  const ref = { app: previous.app, cluster: previous.cluster };
  const drifted = storedDrift(outcome.objects);
  const scannedAt = outcome.scannedAt.toISOString();
  const set: Partial<TargetFields> = { ...outcome.set };
  const remove = new Set<TargetField>(outcome.remove ?? []);
  if (previous.driftStatus !== outcome.status) set.driftStatus = outcome.status;
  if (outcome.status === 'Unknown' && outcome.reason !== undefined) {
    if (previous.driftReason !== outcome.reason) set.driftReason = outcome.reason;
  } else if (outcome.status !== 'Unknown') {
    remove.add('driftReason');
  }
  if (outcome.status === 'Drifted') {
    // The store caps the list and keeps the full number in driftedCount.
    if (!sameObjects(previous.driftedObjects ?? [], drifted.slice(0, MAX_DRIFTED_OBJECTS)) || previous.driftedCount !== drifted.length)
      set.driftedObjects = drifted;
    if (previous.driftStatus !== 'Drifted' || !previous.driftFirstSeenAt) set.driftFirstSeenAt = scannedAt;
  } else {
    if (previous.driftedObjects !== undefined || previous.driftedCount !== undefined) remove.add('driftedObjects');
    if (previous.driftFirstSeenAt !== undefined) remove.add('driftFirstSeenAt');
  }
  for (const field of [...remove]) if (previous[field] === undefined && field !== 'driftedObjects') remove.delete(field);

  const changed = Object.keys(set).length > 0 || remove.size > 0;
  const stale = !previous.lastScannedAt || outcome.scannedAt.getTime() - Date.parse(previous.lastScannedAt) >= LAST_SCANNED_REFRESH_MS;
  if (!changed && !stale) return { written: false };

  let event: RecordResult['event'];
  if (outcome.status === 'Drifted' && previous.driftStatus !== 'Drifted') event = 'Drift Detected';
  if (outcome.status === 'InSync' && previous.driftStatus === 'Drifted') event = 'Drift Resolved';
  if (event) {
    // The event's allow-list (events/event.ts) keeps each object's reference and drops its fields.
    const announced: DriftlessEvent = {
      detailType: event,
      detail: {
        ...ref,
        revision: outcome.revision,
        syncStatus: event === 'Drift Detected' ? 'OutOfSync' : 'Synced',
        driftedCount: outcome.objects.length,
        ...(outcome.objects.length > 0 ? { driftedObjects: outcome.objects } : {}),
        summary: event === 'Drift Detected' ? `OutOfSync: ${summarise(outcome.objects)}` : 'Synced: the cluster matches Git again',
      },
      time: outcome.scannedAt,
    };
    // New drift only (this is the transition): on-drift is not repeated while it lasts.
    const notices =
      event === 'Drift Detected' && notifications ? driftNotifications(await notifications(), announced.detail, outcome.scannedAt, deps.logger) : [];
    await deps.events.emit([announced, ...notices]);
  }
  await deps.store.putTargetState({ ...ref, ...set, lastScannedAt: scannedAt }, { remove: [...remove] });
  return { written: true, event };
}

function summarise(objects: ObjectDrift[]): string {
  const count = (state: string) => objects.filter((object) => object.state === state).length;
  return `${objects.length} object(s) differ from Git: ${count('modified')} modified, ${count('missing')} missing, ${count('orphaned')} orphaned`;
}

/** DynamoDB does not keep the order of a map's keys: compare field by field. */
function sameObjects(a: DriftedObject[], b: DriftedObject[]): boolean {
  const key = (object: DriftedObject) => [object.apiVersion, object.kind, object.namespace ?? '', object.name, object.reason ?? ''].join('\u0000');
  return a.length === b.length && a.every((object, index) => key(object) === key(b[index]));
}
