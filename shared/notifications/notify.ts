// Triggers that fired → one Notification event per route and template: the message rendered
// here (EventBridge API destinations cannot render the config repository's templates) and the
// request body the destination's rule posts as it is.
import type { DriftlessEvent } from '../events/event.ts';
import { MAX_NOTIFICATION_BODY, MAX_NOTIFICATION_TEXT } from '../events/event.ts';
import type { HealthStatus, SyncStatus } from '../state/types.ts';
import { BUILTIN_SEND, BUILTIN_TEMPLATES } from './builtin.ts';
import { routesFor } from './subscriptions.ts';
import { renderTemplate, type TemplateValues } from './template.ts';
import type { AppSubscription, NotificationsConfig, NotificationTemplate, Route, ServiceType, TriggerName } from './types.ts';

/** What one app needs to notify: the registry's config (if any) and the app's own subscriptions. */
export interface AppNotifications {
  config?: NotificationsConfig;
  subscriptions?: AppSubscription[];
}

/** The app's notification setup, or undefined when nobody subscribed to anything. */
export function notificationsFor(config: NotificationsConfig | undefined, subscriptions: AppSubscription[] | undefined): AppNotifications | undefined {
  const setup = { config, subscriptions };
  return routesFor(config, subscriptions).length > 0 ? setup : undefined;
}

export type NotifyValues = Omit<TemplateValues, 'trigger' | 'recipient' | 'serviceType' | 'context' | 'health' | 'syncStatus'> & {
  health?: HealthStatus;
  syncStatus?: SyncStatus;
};

export interface NotificationBatch {
  events: DriftlessEvent[];
  /** Template parts that did not render to JSON (sent as text instead): for the log. */
  warnings: string[];
}

export function notificationEvents(setup: AppNotifications, fired: TriggerName[], values: NotifyValues, time?: Date): NotificationBatch {
  const events: DriftlessEvent[] = [];
  const warnings: string[] = [];
  for (const route of routesFor(setup.config, setup.subscriptions)) {
    if (!fired.includes(route.trigger)) continue;
    for (const name of setup.config?.triggers[route.trigger] ?? [BUILTIN_SEND[route.trigger]]) {
      const template = setup.config?.templates[name] ?? BUILTIN_TEMPLATES[name];
      // parse-config.ts refused a trigger sending a template that is not there; a registry written by an older version may lack one.
      if (!template) continue;
      const serviceType = serviceTypeOf(route.service, setup.config);
      const rendered = render(template, route, serviceType, {
        ...values,
        trigger: route.trigger,
        recipient: route.recipient,
        serviceType,
        context: setup.config?.context ?? {},
      });
      warnings.push(...rendered.warnings);
      events.push({
        detailType: 'Notification',
        detail: {
          app: values.app,
          cluster: values.cluster,
          revision: values.revision,
          syncStatus: values.syncStatus,
          health: values.health,
          destination: route.service,
          recipient: route.recipient,
          trigger: route.trigger,
          template: name,
          summary: rendered.text.split('\n')[0],
          text: rendered.text,
          body: rendered.body,
        },
        time,
      });
    }
  }
  return { events, warnings };
}

/** Declared by a `service.<type>.<name>` key; else a service named `slack` is Slack and any other a webhook. */
function serviceTypeOf(service: string, config: NotificationsConfig | undefined): ServiceType {
  return config?.services[service] ?? (service === 'slack' ? 'slack' : 'webhook');
}

function render(
  template: NotificationTemplate,
  route: Route,
  serviceType: ServiceType,
  values: TemplateValues,
): { text: string; body: Record<string, unknown>; warnings: string[] } {
  const warnings: string[] = [];
  const text = bounded(renderTemplate(template.message ?? '', values).trim());
  const json = (part: string, source: string | undefined): unknown => {
    if (source === undefined) return undefined;
    const rendered = renderTemplate(source, values, { json: true });
    try {
      return JSON.parse(rendered);
    } catch (error) {
      warnings.push(`template "${template.name}" ${part} (${template.definedIn.file}) is not JSON once rendered, sent without it: ${(error as Error).message}`);
      return undefined;
    }
  };
  let body: Record<string, unknown>;
  if (serviceType === 'slack') {
    body = { text };
    // chat.postMessage needs the channel; an incoming webhook posts to its own and ignores it.
    if (route.recipient !== '') body.channel = route.recipient;
    const attachments = json('slack.attachments', template.slack?.attachments);
    const blocks = json('slack.blocks', template.slack?.blocks);
    if (attachments !== undefined) body.attachments = attachments;
    if (blocks !== undefined) body.blocks = blocks;
  } else {
    const custom = json(`webhook.${route.service}.body`, template.webhook?.[route.service]?.body);
    body =
      custom !== undefined && typeof custom === 'object' && custom !== null && !Array.isArray(custom)
        ? (custom as Record<string, unknown>)
        : { app: values.app, cluster: values.cluster, revision: values.revision, trigger: route.trigger, recipient: route.recipient, text };
  }
  if (JSON.stringify(body).length > MAX_NOTIFICATION_BODY) {
    warnings.push(`template "${template.name}" rendered a body over ${MAX_NOTIFICATION_BODY} characters; sent as text only`);
    body = serviceType === 'slack' ? { text } : { app: values.app, cluster: values.cluster, revision: values.revision, trigger: route.trigger, text };
  }
  return { text, body, warnings };
}

function bounded(text: string): string {
  return text.length > MAX_NOTIFICATION_TEXT ? `${text.slice(0, MAX_NOTIFICATION_TEXT - 1)}…` : text;
}
