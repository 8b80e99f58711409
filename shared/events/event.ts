// The events Driftless announces, and the one place that decides what may be in them. The
// detail passes an allow-list: fields not named here are dropped, so a caller that spreads a
// target's state or a sync result into it cannot leak manifests, inventories or secrets.
import { z } from 'zod';
import { targetId } from '../queue/job.ts';
import { HEALTH_STATUSES, SYNC_STATUSES } from '../state/types.ts';
import { InvalidEventError } from './errors.ts';

export const DETAIL_TYPES = [
  'Sync Started',
  'Sync Succeeded',
  'Sync Failed',
  'Health Degraded',
  'Drift Detected',
  'Drift Resolved',
  'App Removed',
  'App Deleted',
  /** An ApplicationSet's RollingSync rollout (shared/rollout/): `app` is the set, `cluster` is `*` (it spans the set's clusters). */
  'Rollout Started',
  'Rollout Step Completed',
  'Rollout Halted',
  'Rollout Completed',
  /** A rendered message for one notification destination (shared/notifications/); rules route it by `destination`. */
  'Notification',
] as const;
export type DetailType = (typeof DETAIL_TYPES)[number];

export const EVENT_SOURCE = 'driftless';
const MAX_SUMMARY = 1000;
const MAX_OBJECTS = 20;
/** Slack's limit for a section's text; longer messages are cut. */
export const MAX_NOTIFICATION_TEXT = 3000;
/** The request body a Notification carries, as JSON; the builder falls back to the text beyond it. */
export const MAX_NOTIFICATION_BODY = 16 * 1024;

const objectRefSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
});

export const eventDetailSchema = z.object({
  app: z.string().min(1),
  cluster: z.string().min(1),
  revision: z.string().optional(),
  /** One line for people: what happened. Long ones are cut rather than the event refused. */
  summary: z.string().transform((summary) => (summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY - 1)}…` : summary)),
  ref: z.string().optional(),
  reason: z.string().optional(),
  deliveryId: z.string().optional(),
  syncStatus: z.enum(SYNC_STATUSES).optional(),
  health: z.enum(HEALTH_STATUSES).optional(),
  durationMs: z.number().nonnegative().optional(),
  /** Objects per action (created, configured, pruned, ...). */
  counts: z.record(z.string(), z.number()).optional(),
  driftedCount: z.number().int().nonnegative().optional(),
  /** App Removed: resources of a removed app left on the cluster (it had no resources finalizer). */
  orphaned: z.number().int().nonnegative().optional(),
  /** Which objects, never their content; the first few only. */
  driftedObjects: z
    .array(objectRefSchema)
    .transform((objects) => objects.slice(0, MAX_OBJECTS))
    .optional(),
  /** Rollout events: the 1-based step and how many there are. */
  step: z.number().int().positive().optional(),
  steps: z.number().int().positive().optional(),
  /** Notification: the destination (a CDK context destination's name) the rule sends it to. */
  destination: z.string().min(1).optional(),
  /** Notification: the recipient of the subscription (a Slack channel, or empty). */
  recipient: z.string().optional(),
  /** Notification: the trigger that fired and the template that rendered it. */
  trigger: z.string().optional(),
  template: z.string().optional(),
  /** Notification: the rendered message. */
  text: z
    .string()
    .transform((text) => (text.length > MAX_NOTIFICATION_TEXT ? `${text.slice(0, MAX_NOTIFICATION_TEXT - 1)}…` : text))
    .optional(),
  /** Notification: the request body the API destination posts, rendered from the template only (never from manifests). */
  body: z
    .record(z.string(), z.unknown())
    .refine((body) => JSON.stringify(body).length <= MAX_NOTIFICATION_BODY, `must be at most ${MAX_NOTIFICATION_BODY} characters of JSON`)
    .optional(),
});

export type EventDetailInput = z.input<typeof eventDetailSchema>;
export type EventDetail = z.output<typeof eventDetailSchema>;

export interface DriftlessEvent {
  detailType: DetailType;
  detail: EventDetailInput;
  /** When it happened; the time of emission if absent. */
  time?: Date;
}

export interface CleanEvent {
  detailType: DetailType;
  detail: EventDetail;
  time: Date;
}

/** Validates and strips every event; throws before anything is sent if one is malformed. */
export function cleanEvents(events: DriftlessEvent[], now = new Date()): CleanEvent[] {
  return events.map((event) => {
    if (!(DETAIL_TYPES as readonly string[]).includes(event.detailType)) throw new InvalidEventError(`unknown event type "${event.detailType}"`);
    const parsed = eventDetailSchema.safeParse(event.detail);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidEventError(`${event.detailType}: detail field "${issue.path.map(String).join('.')}": ${issue.message}`, { cause: parsed.error });
    }
    return { detailType: event.detailType, detail: parsed.data, time: event.time ?? now };
  });
}

export function eventTarget(detail: Pick<EventDetail, 'app' | 'cluster'>): string {
  return targetId(detail.app, detail.cluster);
}
