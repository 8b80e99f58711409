// The template language: Argo CD writes Go templates (`{{.app.metadata.name}}`); Driftless
// substitutes a documented set of variables and nothing else. No function, pipeline, `if` or
// `range` is evaluated, and a template that uses one, or names a variable not in the set, is
// refused when the registry loads (so the author sees it on the config commit, not at 3 a.m.).
// Values come from the sync or scan result only (names, statuses, counts, messages), never
// from manifests, so a template cannot put a Secret's value in a message.
import { TemplateError } from './errors.ts';

/** Every variable a template may name, with what it holds (the README lists the same). */
export const VARIABLES: Record<string, string> = {
  app: 'the application name',
  cluster: 'the cluster name',
  revision: 'the commit sha',
  shortRevision: 'the first 7 characters of the commit sha',
  health: 'Healthy, Progressing, Degraded, Suspended, Missing or Unknown',
  syncStatus: 'Synced, OutOfSync or Failed',
  message: 'the first line of the result message',
  summary: 'the one-line summary the events carry',
  trigger: 'the trigger that fired (on-deployed, ...)',
  recipient: 'the recipient of the subscription (a Slack channel, or empty)',
  serviceType: 'slack or webhook',
  driftedCount: 'how many objects differ from Git (on-drift)',
  // Argo CD's spellings of the same values, so its catalog's simple templates read unchanged.
  'app.metadata.name': 'the application name',
  'app.spec.destination.name': 'the cluster name',
  'app.status.sync.revision': 'the commit sha',
  'app.status.operationState.syncResult.revision': 'the commit sha',
  'app.status.sync.status': 'as syncStatus',
  'app.status.health.status': 'as health',
  'app.status.operationState.message': 'as message',
  'app.status.operationState.phase': 'Succeeded or Failed',
};

/** `counts.<action>`: objects created, configured, unchanged, pruned, failed, skipped, deleted. */
const COUNT = /^counts\.(created|configured|unchanged|pruned|failed|skipped|deleted)$/;
const CONTEXT = /^context\.([A-Za-z0-9_-]+)$/;
const ACTION = /\{\{\s*(.*?)\s*\}\}/gs;
/** Go's `{{-` / `-}}` trim the white space beside the action; done first, then plain `{{ }}`. */
const TRIM_LEFT = /\s*\{\{-/g;
const TRIM_RIGHT = /-\}\}\s*/g;
const VARIABLE = /^\.([A-Za-z][A-Za-z0-9_.-]*)$/;

export interface TemplateValues {
  app: string;
  cluster: string;
  revision?: string;
  health?: string;
  syncStatus?: string;
  message?: string;
  summary?: string;
  trigger: string;
  recipient: string;
  serviceType: string;
  driftedCount?: number;
  counts?: Record<string, number>;
  context: Record<string, string>;
}

/**
 * Checks one template text: every `{{ }}` must be a variable of the set (or a `context` key the
 * config defines). Throws TemplateError naming the template and field.
 */
export function checkTemplate(text: string, template: string, field: string, context: Record<string, string>): void {
  for (const match of trimmed(text).matchAll(ACTION)) {
    const action = match[1];
    const variable = VARIABLE.exec(action)?.[1];
    if (variable === undefined) {
      throw new TemplateError(
        template,
        field,
        `"{{${action}}}" is not a variable: only {{.name}} substitutions are evaluated (no functions, if or range; see README "Notifications")`,
      );
    }
    const contextKey = CONTEXT.exec(variable)?.[1];
    if (contextKey !== undefined) {
      // Own keys only: `in` would take Object.prototype's (`toString`, `__proto__`) for defined ones.
      if (!Object.hasOwn(context, contextKey))
        throw new TemplateError(template, field, `{{.${variable}}}: "${contextKey}" is not defined in the ConfigMap's context`);
      continue;
    }
    if (!Object.hasOwn(VARIABLES, variable) && !COUNT.test(variable)) {
      throw new TemplateError(
        template,
        field,
        `unknown variable {{.${variable}}} (known: ${Object.keys(VARIABLES)
          .map((name) => `.${name}`)
          .join(', ')}, .counts.<action>, .context.<key>)`,
      );
    }
  }
}

/**
 * Substitutes a checked template. `json` escapes each value for the inside of a JSON string,
 * for the parts that are JSON text (Slack attachments and blocks, webhook bodies).
 */
export function renderTemplate(text: string, values: TemplateValues, options: { json?: boolean } = {}): string {
  return trimmed(text).replace(ACTION, (_whole, action: string) => {
    const value = valueOf(VARIABLE.exec(action)?.[1] ?? '', values);
    return options.json ? JSON.stringify(value).slice(1, -1) : value;
  });
}

function trimmed(text: string): string {
  return text.replace(TRIM_LEFT, '{{').replace(TRIM_RIGHT, '}}');
}

function valueOf(variable: string, values: TemplateValues): string {
  const count = COUNT.exec(variable)?.[1];
  if (count !== undefined) return String(values.counts?.[count] ?? 0);
  const contextKey = CONTEXT.exec(variable)?.[1];
  if (contextKey !== undefined) return Object.hasOwn(values.context, contextKey) ? values.context[contextKey] : '';
  switch (variable) {
    case 'app':
    case 'app.metadata.name':
      return values.app;
    case 'cluster':
    case 'app.spec.destination.name':
      return values.cluster;
    case 'revision':
    case 'app.status.sync.revision':
    case 'app.status.operationState.syncResult.revision':
      return values.revision ?? '';
    case 'shortRevision':
      return values.revision?.slice(0, 7) ?? '';
    case 'health':
    case 'app.status.health.status':
      return values.health ?? '';
    case 'syncStatus':
    case 'app.status.sync.status':
      return values.syncStatus ?? '';
    case 'message':
    case 'app.status.operationState.message':
      return values.message ?? '';
    case 'app.status.operationState.phase':
      return values.syncStatus === 'Failed' ? 'Failed' : 'Succeeded';
    case 'summary':
      return values.summary ?? '';
    case 'trigger':
      return values.trigger;
    case 'recipient':
      return values.recipient;
    case 'serviceType':
      return values.serviceType;
    case 'driftedCount':
      return values.driftedCount === undefined ? '' : String(values.driftedCount);
    default:
      return '';
  }
}
