// The notifications configuration as the registry keeps it: Argo CD's `argocd-notifications-cm`
// ConfigMap read into templates, triggers, default subscriptions and the services they name.
// Stored inside the registry item (plain JSON), so it reaches the worker with the apps.
import type { DefinedIn } from '../config/types.ts';

/** The triggers Driftless evaluates; their conditions are built in (triggers.ts). */
export const TRIGGERS = ['on-deployed', 'on-sync-succeeded', 'on-sync-failed', 'on-health-degraded', 'on-drift'] as const;
export type TriggerName = (typeof TRIGGERS)[number];

/**
 * Argo CD catalog triggers a pasted catalog defines that have no counterpart here (yet):
 * accepted so the catalog loads, never fired.
 */
export const IGNORED_ARGO_TRIGGERS = ['on-created', 'on-deleted', 'on-sync-running', 'on-sync-status-unknown'] as const;

export type ServiceType = 'slack' | 'webhook';

/** A template whose text parts were checked when the registry loaded (template.ts). */
export interface NotificationTemplate {
  name: string;
  message?: string;
  /** Slack: `attachments` and `blocks` as JSON text with substitutions, as Argo CD writes them. */
  slack?: { attachments?: string; blocks?: string };
  /** Per webhook service: the request body (JSON text with substitutions). */
  webhook?: Record<string, { body?: string }>;
  definedIn: DefinedIn;
}

export interface NotificationsConfig {
  templates: Record<string, NotificationTemplate>;
  /** Trigger → the templates it sends. A trigger not listed sends its built-in template. */
  triggers: Partial<Record<TriggerName, string[]>>;
  /** `subscriptions`: every app gets these (no `selector`: apps here carry no labels to select on). */
  subscriptions: Subscription[];
  /** `defaultTriggers`: what an annotation without a trigger (`subscribe.<service>`) subscribes to. */
  defaultTriggers: TriggerName[];
  /** Service name → its type, from `service.<type>[.<name>]` keys. */
  services: Record<string, ServiceType>;
  /** `context`: user strings templates read as `{{.context.<key>}}` (a dashboard URL, an environment name). */
  context: Record<string, string>;
  definedIn: DefinedIn;
}

/** One trigger sent to one recipient of one service (a destination in CDK context). */
export interface Subscription {
  triggers: TriggerName[];
  /** `<service>:<recipient>` as Argo CD writes it; the recipient may be empty (webhooks). */
  recipients: Array<{ service: string; recipient: string }>;
}

/** One app's subscription, from its `notifications.argoproj.io/subscribe.[<trigger>.]<service>` annotation. */
export interface AppSubscription {
  /** Absent: the config's `defaultTriggers`. */
  trigger?: TriggerName;
  service: string;
  /** `;`-separated in the annotation; may be one empty recipient (a webhook). */
  recipients: string[];
}

/** Where one trigger goes for one app: one Notification event each. */
export interface Route {
  trigger: TriggerName;
  service: string;
  recipient: string;
}
