// The argocd-notifications-cm ConfigMap in the registry folder, read as Argo CD's keys are
// written (operator-manual/notifications: templates, triggers, subscriptions, defaultTriggers,
// context, services), and the subscribe annotations on Applications.
import { describe, expect, it } from 'vitest';
import { problemsOf, registryOf } from '../config/registry-files.ts';

const CLUSTER = 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: prod }\nspec:\n  kubeconfig: { context: prod }\n';

function app(annotations: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  annotations:
${annotations}
spec:
  source: { repoURL: https://github.com/acme/guestbook, path: deploy }
  destination: { name: prod, namespace: guestbook }
`;
}

const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-notifications-cm
data:
  context: |
    dashboardUrl: https://driftless.example.com
  service.slack: |
    token: $slack-token
  service.webhook.audit: |
    url: https://audit.example.com/hook
  template.app-deployed: |
    message: Application {{.app.metadata.name}} is now running {{.shortRevision}}.
    slack:
      attachments: |
        [{"title": "{{.app}}", "title_link": "{{.context.dashboardUrl}}/apps/{{.app}}", "color": "#18be52"}]
  trigger.on-deployed: |
    - description: Application is synced and healthy. Triggered once per commit.
      when: app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'
      oncePer: app.status.operationState.syncResult.revision
      send: [app-deployed]
  trigger.on-sync-running: |
    - when: app.status.operationState.phase in ['Running']
      send: [app-sync-running]
  template.app-sync-running: |
    message: running
  subscriptions: |
    - recipients: [audit]
      triggers: [on-sync-failed]
    - recipients: [slack:ops]
  defaultTriggers: |
    - on-sync-failed
    - on-health-degraded
`;

describe('the notifications ConfigMap', () => {
  it('is read into templates, triggers, subscriptions, services and context', () => {
    const registry = registryOf({ 'driftless/clusters.yaml': CLUSTER, 'driftless/notifications.yaml': CONFIG });
    const config = registry.notifications;
    expect(config?.context).toEqual({ dashboardUrl: 'https://driftless.example.com' });
    expect(config?.services).toEqual({ slack: 'slack', audit: 'webhook' });
    expect(config?.triggers).toEqual({ 'on-deployed': ['app-deployed'] });
    expect(config?.templates['app-deployed']).toMatchObject({
      message: 'Application {{.app.metadata.name}} is now running {{.shortRevision}}.',
      definedIn: { file: 'driftless/notifications.yaml', line: 12 },
    });
    expect(config?.subscriptions).toEqual([
      { triggers: ['on-sync-failed'], recipients: [{ service: 'audit', recipient: '' }] },
      // No triggers listed: the default triggers.
      { triggers: ['on-sync-failed', 'on-health-degraded'], recipients: [{ service: 'slack', recipient: 'ops' }] },
    ]);
    expect(config?.defaultTriggers).toEqual(['on-sync-failed', 'on-health-degraded']);
    // Not a ValidatingAdmissionPolicy parameter ConfigMap.
    expect(registry.policies).toBeUndefined();
  });

  it('refuses an unknown variable at the line of the template field, naming the template', () => {
    const text = CONFIG.replace('"title": "{{.app}}"', '"title": "{{.app.spec.project}}"');
    const problems = problemsOf({ 'driftless/clusters.yaml': CLUSTER, 'driftless/notifications.yaml': text });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^driftless\/notifications\.yaml:15: ConfigMap\/argocd-notifications-cm: data\.template\.app-deployed\.slack\.attachments: template "app-deployed" slack\.attachments: unknown variable \{\{\.app\.spec\.project\}\}/,
    );
  });

  it('refuses a Go template action, an unknown trigger, a missing template and a bad recipient, each on its line', () => {
    const text = CONFIG.replace('is now running {{.shortRevision}}.', 'is {{if .app}}up{{end}}.')
      .replace('trigger.on-sync-running', 'trigger.on-sync-sucess')
      .replace('send: [app-deployed]', 'send: [app-deploy]')
      .replace('recipients: [slack:ops]', 'recipients: [":ops"]');
    expect(problemsOf({ 'driftless/clusters.yaml': CLUSTER, 'driftless/notifications.yaml': text })).toEqual([
      expect.stringMatching(
        /^driftless\/notifications\.yaml:13: .*data\.template\.app-deployed\.message: template "app-deployed" message: "\{\{if \.app\}\}" is not a variable/,
      ),
      expect.stringMatching(/^driftless\/notifications\.yaml:17: .*data\.trigger\.on-deployed: sends template "app-deploy", which is not defined/),
      expect.stringMatching(/^driftless\/notifications\.yaml:22: .*data\.trigger\.on-sync-sucess: unknown trigger "on-sync-sucess"/),
      expect.stringMatching(/^driftless\/notifications\.yaml:30: .*data\.subscriptions\[1\]\.recipients\[0\]: ":ops" is not <service>:<recipient>/),
    ]);
  });

  it('says where a block that is not YAML breaks, and refuses an unknown key', () => {
    const text = `${CONFIG.replace('    - on-health-degraded\n', '    - [on-health-degraded\n')}  subscription: |\n    - recipients: [slack:ops]\n`;
    const problems = problemsOf({ 'driftless/clusters.yaml': CLUSTER, 'driftless/notifications.yaml': text });
    expect(problems.some((problem) => /^driftless\/notifications\.yaml:\d+: .*data\.defaultTriggers: cannot parse/.test(problem))).toBe(true);
    expect(problems).toContainEqual(expect.stringMatching(/^driftless\/notifications\.yaml:\d+: .*data\.subscription: unknown key/));
  });

  it('refuses a second notifications ConfigMap, naming the first', () => {
    const problems = problemsOf({ 'driftless/clusters.yaml': CLUSTER, 'driftless/a.yaml': CONFIG, 'driftless/b.yaml': CONFIG });
    expect(problems).toEqual([expect.stringMatching(/^driftless\/b\.yaml:1: .*a second notifications ConfigMap \(the first is at driftless\/a\.yaml:1\)/)]);
  });
});

describe('subscribe annotations on an Application', () => {
  it('are read as Argo CD reads them: per trigger and service, recipients split on ";", or the default triggers', () => {
    const registry = registryOf({
      'driftless/clusters.yaml': CLUSTER,
      'driftless/guestbook.yaml': app(
        '    notifications.argoproj.io/subscribe.on-deployed.slack: "deploys; releases"\n    notifications.argoproj.io/subscribe.audit: ""\n    notifications.argoproj.io/subscribe.on-sync-running.slack: ops',
      ),
    });
    expect(registry.apps[0].subscriptions).toEqual([
      { service: 'audit', recipients: [''] },
      { trigger: 'on-deployed', service: 'slack', recipients: ['deploys', 'releases'] },
    ]);
  });

  it('leave an app without them as it was (no field)', () => {
    const registry = registryOf({ 'driftless/clusters.yaml': CLUSTER, 'driftless/guestbook.yaml': app('    example.com/owner: team-a') });
    expect('subscriptions' in registry.apps[0]).toBe(false);
  });

  it('refuse an unknown trigger on the annotation line', () => {
    const problems = problemsOf({
      'driftless/clusters.yaml': CLUSTER,
      'driftless/guestbook.yaml': app('    notifications.argoproj.io/subscribe.on-deploy.slack: deploys'),
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^driftless\/guestbook\.yaml:6: Application\/guestbook: metadata\.annotations\.notifications\.argoproj\.io\/subscribe\.on-deploy\.slack: unknown trigger "on-deploy"/,
      ),
    ]);
  });
});

describe('a change of subscriptions alone', () => {
  it('does not count as a change of the app (nothing to sync)', async () => {
    const { diffRegistries } = await import('../../shared/config/diff.ts');
    const before = registryOf({ 'driftless/clusters.yaml': CLUSTER, 'driftless/guestbook.yaml': app('    example.com/owner: team-a') });
    const after = registryOf({
      'driftless/clusters.yaml': CLUSTER,
      'driftless/guestbook.yaml': app('    notifications.argoproj.io/subscribe.on-deployed.slack: deploys'),
    });
    expect(diffRegistries(before, after).changedApps).toEqual([]);
  });
});
