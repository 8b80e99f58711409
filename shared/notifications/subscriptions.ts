// Who hears about an app: the annotations on its Application, read as Argo CD reads them
// (`notifications.argoproj.io/subscribe.<trigger>.<service>: <recipient>[;<recipient>...]`, or
// `subscribe.<service>` for the default triggers), and the ConfigMap's `subscriptions`.
import type { FieldPath } from '../config/documents.ts';
import { IGNORED_ARGO_TRIGGERS, TRIGGERS, type AppSubscription, type NotificationsConfig, type Route, type TriggerName } from './types.ts';

export const SUBSCRIBE_ANNOTATION_PREFIX = 'notifications.argoproj.io/subscribe.';

/** The app's subscriptions; an annotation naming an unknown trigger is reported on its line. */
export function appSubscriptions(annotations: Record<string, string>, report: (field: FieldPath, message: string) => void): AppSubscription[] {
  const subscriptions: AppSubscription[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(SUBSCRIBE_ANNOTATION_PREFIX)) continue;
    const rest = key.slice(SUBSCRIBE_ANNOTATION_PREFIX.length);
    // Trigger names have no dots; a service name may (none of Argo CD's do).
    const dot = rest.indexOf('.');
    const trigger = dot > 0 ? rest.slice(0, dot) : undefined;
    const service = dot > 0 ? rest.slice(dot + 1) : rest;
    if (service === '') {
      report(['metadata', 'annotations', key], 'names no service: expected notifications.argoproj.io/subscribe.<trigger>.<service>');
      continue;
    }
    const recipients = value.split(';').map((recipient) => recipient.trim());
    const listed = recipients.filter((recipient) => recipient !== '');
    const subscription: AppSubscription = { service, recipients: listed.length > 0 ? listed : [''] };
    if (trigger !== undefined) {
      if ((IGNORED_ARGO_TRIGGERS as readonly string[]).includes(trigger)) continue;
      if (!(TRIGGERS as readonly string[]).includes(trigger)) {
        report(['metadata', 'annotations', key], `unknown trigger "${trigger}": Driftless evaluates ${TRIGGERS.join(', ')}`);
        continue;
      }
      subscription.trigger = trigger as TriggerName;
    }
    subscriptions.push(subscription);
  }
  return subscriptions.sort((a, b) => `${a.trigger ?? ''}.${a.service}`.localeCompare(`${b.trigger ?? ''}.${b.service}`));
}

/** Every (trigger, service, recipient) for the app, without repeats, in a stable order. */
export function routesFor(config: NotificationsConfig | undefined, app: AppSubscription[] | undefined): Route[] {
  const routes = new Map<string, Route>();
  const add = (trigger: TriggerName, service: string, recipient: string) =>
    routes.set(`${trigger}\u0000${service}\u0000${recipient}`, { trigger, service, recipient });
  for (const subscription of app ?? []) {
    const triggers = subscription.trigger ? [subscription.trigger] : (config?.defaultTriggers ?? []);
    for (const trigger of triggers) for (const recipient of subscription.recipients) add(trigger, subscription.service, recipient);
  }
  for (const subscription of config?.subscriptions ?? []) {
    for (const trigger of subscription.triggers) for (const { service, recipient } of subscription.recipients) add(trigger, service, recipient);
  }
  return [...routes.values()];
}
