// Notifications through the real handlers: an app subscribed with Argo CD's annotations and an
// argocd-notifications-cm in the registry folder. A push that syncs healthy emits one
// on-deployed Notification; a self-heal of the same commit does not emit it again (on-drift
// instead); a failing push emits on-sync-failed. No event carries a Secret's value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppSpec, ClusterSpec } from '../../shared/config/types.ts';
import { scanTarget } from '../../shared/drift/scan-target.ts';
import { kubectlFor } from '../support/kubectl.ts';
import { appDocument, startPipeline, webApp, webRegistry, type Pipeline } from '../support/pipeline.ts';

const EMPTY = '0000000000000000000000000000000000000000';
const SECRET_VALUE = 'hunter2-never-in-an-event';

const SUBSCRIBED = appDocument({ name: 'web', namespace: 'shop' }).replace(
  'metadata: { name: web, namespace: argocd }',
  `metadata:
  name: web
  namespace: argocd
  annotations:
    notifications.argoproj.io/subscribe.on-deployed.slack: deploys
    notifications.argoproj.io/subscribe.on-drift.slack: deploys
    notifications.argoproj.io/subscribe.on-sync-failed.audit: ""`,
);

const NOTIFICATIONS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-notifications-cm
data:
  service.slack: |
    token: $slack-token
  service.webhook.audit: |
    url: https://audit.example.com/hook
  template.app-deployed: |
    message: "{{.app.metadata.name}} is now running {{.shortRevision}} on {{.cluster}}"
  trigger.on-deployed: |
    - when: app.status.operationState.phase in ['Succeeded'] and app.status.health.status == 'Healthy'
      oncePer: app.status.sync.revision
      send: [app-deployed]
`;

const files = (color: string) => ({
  ...webRegistry(),
  'driftless/web.yaml': SUBSCRIBED,
  'driftless/notifications.yaml': NOTIFICATIONS,
  ...webApp(color),
  'apps/web/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata: { name: web-db }\nstringData: { password: ${SECRET_VALUE} }\n`,
});

let pipeline: Pipeline;
let first: string;
beforeAll(async () => {
  pipeline = await startPipeline();
});
afterAll(() => pipeline?.stop());

function notifications(): Array<Record<string, unknown>> {
  return pipeline.eventBridge.entries
    .filter((entry) => entry.DetailType === 'Notification')
    .map((entry) => JSON.parse(entry.Detail ?? '{}') as Record<string, unknown>);
}

describe('notifications', () => {
  it('a push that syncs healthy emits one on-deployed Notification for the subscribed destination', async () => {
    first = await pipeline.repo.commit(files('blue'));
    await pipeline.push(EMPTY, first, { added: Object.keys(files('blue')) });
    await pipeline.work(async () => (await pipeline.store.getTarget('web', 'sandbox'))?.revision === first);
    expect(await pipeline.store.getTarget('web', 'sandbox')).toMatchObject({ syncStatus: 'Synced', health: 'Healthy', notified: { 'on-deployed': first } });
    expect(notifications()).toEqual([
      expect.objectContaining({
        app: 'web',
        cluster: 'sandbox',
        revision: first,
        trigger: 'on-deployed',
        destination: 'slack',
        recipient: 'deploys',
        template: 'app-deployed',
        text: `web is now running ${first.slice(0, 7)} on sandbox`,
        body: { text: `web is now running ${first.slice(0, 7)} on sandbox`, channel: 'deploys' },
      }),
    ]);
  });

  it('a drift healed by a sync of the same commit emits on-drift, and not on-deployed again', async () => {
    const kubectl = await kubectlFor(pipeline.sandbox.kubeconfig());
    expect((await kubectl(['patch', 'configmap/web-config', '-n', 'shop', '--type', 'merge', '-p', '{"data":{"color":"red"}}'])).code).toBe(0);
    const { buildDependencies } = await import('../../functions/sync-worker/handler.ts');
    const registry = (await pipeline.store.getRegistry())!.registry;
    const app = registry.apps.find((candidate) => candidate.name === 'web') as AppSpec;
    const cluster = registry.clusters.find((candidate) => candidate.name === 'sandbox') as ClusterSpec;
    const scan = await scanTarget(
      { kind: 'drift-scan', app: 'web', cluster: 'sandbox', revision: first, enqueuedAt: new Date().toISOString(), schedulePeriod: Date.now() },
      app,
      cluster,
      await buildDependencies(process.env),
    );
    expect(scan).toMatchObject({ outcome: 'scanned', healed: true });
    const syncs = () => pipeline.eventBridge.entries.filter((entry) => entry.DetailType === 'Sync Succeeded').length;
    await pipeline.work(async () => syncs() === 2);
    expect(notifications().map((detail) => [detail.trigger, detail.revision])).toEqual([
      ['on-deployed', first],
      ['on-drift', first],
    ]);
    expect(notifications()[1]).toMatchObject({
      destination: 'slack',
      recipient: 'deploys',
      template: 'app-drift',
      text: expect.stringContaining('has drifted from Git (1 object(s))'),
    });
  });

  it('a push that fails emits on-sync-failed to the webhook, with the default body', async () => {
    const broken = { ...files('green'), 'apps/web/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: web-config\ndata: { color: green }\n' };
    const second = await pipeline.repo.commit(broken);
    await pipeline.push(first, second, { modified: ['apps/web/config.yaml'] });
    await pipeline.work(async () => notifications().length === 3);
    const failed = notifications()[2];
    expect(failed).toMatchObject({ trigger: 'on-sync-failed', destination: 'audit', recipient: '', revision: second, template: 'app-sync-failed' });
    expect(failed.body).toMatchObject({
      app: 'web',
      cluster: 'sandbox',
      revision: second,
      trigger: 'on-sync-failed',
      text: expect.stringContaining('has failed'),
    });
    expect(String(failed.text)).toContain('apps/web/config.yaml');
  });

  it("never carries the Secret's value in any event", () => {
    expect(JSON.stringify(pipeline.eventBridge.entries)).not.toContain(SECRET_VALUE);
    expect(JSON.stringify(pipeline.eventBridge.entries)).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
  });
});
