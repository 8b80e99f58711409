import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../shared/notifications/errors.ts';
import { checkTemplate, renderTemplate, type TemplateValues } from '../../shared/notifications/template.ts';

const values: TemplateValues = {
  app: 'guestbook',
  cluster: 'prod-eu',
  revision: '0123456789abcdef0123456789abcdef01234567',
  health: 'Healthy',
  syncStatus: 'Synced',
  message: 'successfully synced (all tasks run)',
  summary: 'Synced, Healthy: successfully synced',
  trigger: 'on-deployed',
  recipient: 'deploys',
  serviceType: 'slack',
  counts: { created: 2, configured: 1 },
  context: { dashboardUrl: 'https://driftless.example.com' },
};

describe('templates', () => {
  it("substitutes our variables and Argo CD's spellings of them", () => {
    const text =
      '{{.app}} {{ .shortRevision }} on {{.cluster}}: {{.app.metadata.name}} {{.app.status.sync.revision}} {{.app.status.health.status}} {{.app.status.operationState.phase}} {{.counts.created}}/{{.counts.pruned}} {{.context.dashboardUrl}}/apps/{{.app}}';
    checkTemplate(text, 't', 'message', values.context);
    expect(renderTemplate(text, values)).toBe(
      'guestbook 0123456 on prod-eu: guestbook 0123456789abcdef0123456789abcdef01234567 Healthy Succeeded 2/0 https://driftless.example.com/apps/guestbook',
    );
  });

  it("honours Go's trim markers", () => {
    expect(renderTemplate('a  {{- .app -}}  b', values)).toBe('aguestbookb');
  });

  it('escapes values for the inside of JSON strings in JSON parts', () => {
    const json = '{"text": "{{.message}}"}';
    const tricky = { ...values, message: 'quote " and \\ and\nnewline' };
    expect(JSON.parse(renderTemplate(json, tricky, { json: true }))).toEqual({ text: 'quote " and \\ and\nnewline' });
  });

  it('refuses an unknown variable, naming the template, the field and the variable', () => {
    expect(() => checkTemplate('Hello {{.app.spec.project}}', 'app-deployed', 'message', {})).toThrowError(TemplateError);
    expect(() => checkTemplate('Hello {{.app.spec.project}}', 'app-deployed', 'message', {})).toThrowError(
      /^template "app-deployed" message: unknown variable \{\{\.app\.spec\.project\}\}/,
    );
  });

  it('refuses Go template actions it does not evaluate, and a context key the config does not define', () => {
    expect(() => checkTemplate('{{if eq .serviceType "slack"}}:tada:{{end}}', 'x', 'message', {})).toThrowError(
      /is not a variable: only \{\{\.name\}\} substitutions/,
    );
    expect(() => checkTemplate('{{.app | upper}}', 'x', 'message', {})).toThrowError(/is not a variable/);
    expect(() => checkTemplate('{{.context.argocdUrl}}', 'x', 'slack.attachments', { dashboardUrl: 'u' })).toThrowError(
      'template "x" slack.attachments: {{.context.argocdUrl}}: "argocdUrl" is not defined in the ConfigMap\'s context',
    );
  });

  it("refuses the names of an object's built-in properties, as variables and as context keys", () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      expect(() => checkTemplate(`{{.${name}}}`, 'x', 'message', {})).toThrowError(`unknown variable {{.${name}}}`);
    }
    for (const name of ['constructor', 'toString', '__proto__']) {
      expect(() => checkTemplate(`{{.context.${name}}}`, 'x', 'message', { dashboardUrl: 'u' })).toThrowError(
        `"${name}" is not defined in the ConfigMap's context`,
      );
      expect(renderTemplate(`{"v": "{{.context.${name}}}"}`, values, { json: true })).toBe('{"v": ""}');
    }
  });
});
