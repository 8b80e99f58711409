// Argo CD's `argocd-notifications-cm` ConfigMap, read as it is from the registry folder
// (conventionally driftless/notifications.yaml): `template.<name>`, `trigger.<name>`,
// `subscriptions`, `defaultTriggers`, `context` and `service.<type>[.<name>]` keys, each value
// the YAML text Argo CD reads. Problems point at the file and the line inside the block.
//
// What differs from Argo CD, on purpose:
// - a trigger's `when` and `oncePer` are accepted and not evaluated: the five triggers
//   Driftless knows have built-in conditions (triggers.ts); other catalog triggers load and never fire;
// - services' settings (tokens, URLs) are not read: destinations and their credentials are in
//   CDK context and Secrets Manager, so no secret lives in the config repository;
// - templates are substitutions of a fixed variable set, not Go templates (template.ts).
import { z } from 'zod';
import type { RegistryDocument } from '../config/documents.ts';
import { parseRegistryFile } from '../config/documents.ts';
import type { RegistryProblem } from '../config/errors.ts';
import { dottedPath } from '../config/problems.ts';
import { BUILTIN_TEMPLATES } from './builtin.ts';
import { TemplateError } from './errors.ts';
import { checkTemplate } from './template.ts';
import {
  IGNORED_ARGO_TRIGGERS,
  TRIGGERS,
  type NotificationsConfig,
  type NotificationTemplate,
  type ServiceType,
  type Subscription,
  type TriggerName,
} from './types.ts';

export const NOTIFICATIONS_CONFIGMAP = 'argocd-notifications-cm';

/** A v1 ConfigMap named argocd-notifications-cm: the notifications config, not an admission policy's parameters. */
export function isNotificationsDocument(value: unknown): boolean {
  const document = value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | null;
  return document?.apiVersion === 'v1' && document.kind === 'ConfigMap' && document.metadata?.name === NOTIFICATIONS_CONFIGMAP;
}

const scalarText = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const configMapSchema = z.looseObject({
  metadata: z.looseObject({ name: z.literal(NOTIFICATIONS_CONFIGMAP) }),
  data: z.record(z.string(), z.string()).default({}),
});

const templateSchema = z.looseObject({
  message: z.string().optional(),
  slack: z.looseObject({ attachments: z.string().optional(), blocks: z.string().optional() }).optional(),
  webhook: z.record(z.string(), z.looseObject({ method: z.string().optional(), path: z.string().optional(), body: z.string().optional() })).optional(),
});

const conditionSchema = z.looseObject({
  description: z.string().optional(),
  when: z.string().optional(),
  oncePer: z.string().optional(),
  send: z.array(z.string()).min(1, 'must name at least one template'),
});
const triggerSchema = z.union([z.array(conditionSchema).min(1, 'must list at least one condition'), conditionSchema]);

const subscriptionsSchema = z.array(
  z.looseObject({
    recipients: z.array(z.string()).min(1, 'must list at least one recipient'),
    triggers: z.array(z.string()).optional(),
    selector: z.string().optional(),
  }),
);

const triggerNames = z.array(z.string());
const contextSchema = z.record(z.string(), scalarText);

const SERVICE_TYPES: ReadonlySet<string> = new Set(['slack', 'webhook']);

/** The config, or undefined with problems pushed (each with file, line and field). */
export function parseNotificationsConfig(document: RegistryDocument, problems: RegistryProblem[]): NotificationsConfig | undefined {
  const before = problems.length;
  const object = `ConfigMap/${NOTIFICATIONS_CONFIGMAP}`;
  const at = (path: Array<string | number>, message: string, line = document.lineOf(path)) =>
    problems.push({ file: document.file, line, object, field: dottedPath(path), message });
  const top = configMapSchema.safeParse(document.value);
  if (!top.success) {
    for (const issue of top.error.issues)
      at(
        issue.path.filter((step): step is string | number => typeof step !== 'symbol'),
        issue.message,
      );
    return undefined;
  }
  const data = top.data.data;

  /** A data value is YAML text itself: parsed with its own line numbers, then shifted to the file's. */
  const block = <T>(key: string, schema: z.ZodType<T>): T | undefined => {
    const keyLine = document.lineOf(['data', key]);
    const parsed = parseRegistryFile(document.file, data[key]);
    for (const problem of parsed.problems) at(['data', key], problem.message, keyLine + (problem.line ?? 1));
    if (parsed.problems.length > 0) return undefined;
    const inner = parsed.documents[0];
    const result = schema.safeParse(inner?.value ?? null);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.filter((step): step is string | number => typeof step !== 'symbol');
        at(['data', key, ...path], issue.input === undefined ? 'is required' : issue.message, keyLine + (inner?.lineOf(path) ?? 1));
      }
      return undefined;
    }
    return result.data;
  };
  /** The file line of a field inside a block (for checks made after parsing). */
  const lineIn = (key: string, path: Array<string | number>) => {
    const inner = parseRegistryFile(document.file, data[key]).documents[0];
    return document.lineOf(['data', key]) + (inner?.lineOf(path) ?? 1);
  };

  const context: Record<string, string> = data.context !== undefined ? (block('context', contextSchema) ?? {}) : {};
  const services: Record<string, ServiceType> = {};
  const templates: Record<string, NotificationTemplate> = {};
  const triggers: NotificationsConfig['triggers'] = {};
  const triggerKeys: Array<{ key: string; trigger: TriggerName; send: string[] }> = [];
  let subscriptions: Subscription[] = [];
  let defaultTriggers: TriggerName[] = [];

  /** A trigger name: one of ours, or an Argo CD catalog one that is accepted and dropped, else a problem. */
  const knownTrigger = (name: string, report: (message: string) => void): TriggerName | undefined => {
    if ((TRIGGERS as readonly string[]).includes(name)) return name as TriggerName;
    if (!(IGNORED_ARGO_TRIGGERS as readonly string[]).includes(name)) report(`unknown trigger "${name}": Driftless evaluates ${TRIGGERS.join(', ')}`);
    return undefined;
  };

  for (const key of Object.keys(data).sort()) {
    if (key === 'context') continue;
    if (key.startsWith('template.')) {
      const name = key.slice('template.'.length);
      const value = block(key, templateSchema);
      if (!value) continue;
      const template: NotificationTemplate = { name, definedIn: { file: document.file, line: document.lineOf(['data', key]) } };
      if (value.message !== undefined) template.message = value.message;
      if (value.slack && (value.slack.attachments !== undefined || value.slack.blocks !== undefined)) {
        template.slack = {};
        if (value.slack.attachments !== undefined) template.slack.attachments = value.slack.attachments;
        if (value.slack.blocks !== undefined) template.slack.blocks = value.slack.blocks;
      }
      if (value.webhook)
        template.webhook = Object.fromEntries(
          Object.entries(value.webhook).map(([service, part]) => [service, part.body === undefined ? {} : { body: part.body }]),
        );
      const parts: Array<[Array<string | number>, string | undefined]> = [
        [['message'], template.message],
        [['slack', 'attachments'], template.slack?.attachments],
        [['slack', 'blocks'], template.slack?.blocks],
        ...Object.entries(template.webhook ?? {}).map(([service, part]): [Array<string | number>, string | undefined] => [
          ['webhook', service, 'body'],
          part.body,
        ]),
      ];
      let good = true;
      for (const [path, text] of parts) {
        if (text === undefined) continue;
        try {
          checkTemplate(text, name, dottedPath(path), context);
        } catch (error) {
          if (!(error instanceof TemplateError)) throw error;
          at(['data', key, ...path], error.message, lineIn(key, path));
          good = false;
        }
      }
      if (good) templates[name] = template;
    } else if (key.startsWith('trigger.')) {
      const value = block(key, triggerSchema);
      if (!value) continue;
      const trigger = knownTrigger(key.slice('trigger.'.length), (message) => at(['data', key], message));
      if (!trigger) continue;
      const send = [...new Set((Array.isArray(value) ? value : [value]).flatMap((condition) => condition.send))];
      triggerKeys.push({ key, trigger, send });
    } else if (key === 'subscriptions') {
      const value = block(key, subscriptionsSchema);
      if (!value) continue;
      subscriptions = value.flatMap((entry, index) => {
        if (entry.selector !== undefined) {
          at(
            ['data', key, index, 'selector'],
            'selectors are not supported (Driftless keeps no labels on apps): subscribe apps with their notifications.argoproj.io/subscribe annotations',
            lineIn(key, [index, 'selector']),
          );
          return [];
        }
        const recipients = entry.recipients.flatMap((written, position) => {
          const recipient = parseRecipient(written);
          if (!recipient)
            at(
              ['data', key, index, 'recipients', position],
              `"${written}" is not <service>:<recipient> (e.g. slack:deploys) or <service>`,
              lineIn(key, [index, 'recipients', position]),
            );
          return recipient ? [recipient] : [];
        });
        const triggers = (entry.triggers ?? []).flatMap((name, position) => {
          const trigger = knownTrigger(name, (message) => at(['data', key, index, 'triggers', position], message, lineIn(key, [index, 'triggers', position])));
          return trigger ? [trigger] : [];
        });
        // No triggers listed: the default triggers, as in Argo CD (resolved below, once they are read).
        return recipients.length > 0
          ? [{ triggers: entry.triggers === undefined ? [] : triggers, recipients, usesDefaults: entry.triggers === undefined }]
          : [];
      }) as Subscription[];
    } else if (key === 'defaultTriggers') {
      const value = block(key, triggerNames);
      if (!value) continue;
      defaultTriggers = value.flatMap((name, position) => {
        const trigger = knownTrigger(name, (message) => at(['data', key, position], message, lineIn(key, [position])));
        return trigger ? [trigger] : [];
      });
    } else if (key.startsWith('service.')) {
      // Only the key is read: `service.slack`, `service.slack.<name>`, `service.webhook.<name>`.
      const [type, ...rest] = key.slice('service.'.length).split('.');
      if (SERVICE_TYPES.has(type)) services[rest.length > 0 ? rest.join('.') : type] = type as ServiceType;
    } else {
      at(['data', key], 'unknown key: expected template.<name>, trigger.<name>, subscriptions, defaultTriggers, context or service.<type>[.<name>]');
    }
  }

  for (const { key, trigger, send } of triggerKeys) {
    send.forEach((name) => {
      if (!(name in templates) && !(name in BUILTIN_TEMPLATES) && !(`template.${name}` in data))
        at(['data', key], `sends template "${name}", which is not defined (add template.${name})`);
    });
    triggers[trigger] = send;
  }
  for (const subscription of subscriptions as Array<Subscription & { usesDefaults?: boolean }>) {
    if (subscription.usesDefaults) subscription.triggers = [...defaultTriggers];
    delete subscription.usesDefaults;
  }
  if (problems.length > before) return undefined;
  return {
    templates,
    triggers,
    subscriptions: subscriptions.filter((subscription) => subscription.triggers.length > 0),
    defaultTriggers,
    services,
    context,
    definedIn: { file: document.file, line: document.line },
  };
}

/** `slack:deploys` → service `slack`, recipient `deploys`; `audit` (a webhook) → recipient empty, as Argo CD splits them. */
export function parseRecipient(written: string): { service: string; recipient: string } | undefined {
  const colon = written.indexOf(':');
  const service = (colon < 0 ? written : written.slice(0, colon)).trim();
  if (service === '') return undefined;
  return { service, recipient: colon < 0 ? '' : written.slice(colon + 1).trim() };
}
