// Notification events as the bus carries them: one per route and template, the text rendered,
// and the body an API destination posts (Slack's chat.postMessage / incoming webhook fields:
// text, channel, attachments, blocks; a webhook's own body or a default one).
import { describe, expect, it } from 'vitest';
import { cleanEvents } from '../../shared/events/event.ts';
import { notificationEvents, notificationsFor } from '../../shared/notifications/notify.ts';
import type { NotificationsConfig } from '../../shared/notifications/types.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const values = {
  app: 'guestbook',
  cluster: 'prod',
  revision: SHA,
  health: 'Healthy' as const,
  syncStatus: 'Synced' as const,
  message: 'all "good"',
  summary: 'Synced, Healthy: all "good"',
};

const config: NotificationsConfig = {
  templates: {
    'app-deployed': {
      name: 'app-deployed',
      message: '{{.app}} runs {{.shortRevision}}: {{.message}}',
      slack: { attachments: '[{"title": "{{.app}}", "text": "{{.message}}"}]' },
      webhook: { audit: { body: '{"app": "{{.app}}", "sha": "{{.revision}}", "to": "{{.recipient}}"}' } },
      definedIn: { file: 'driftless/notifications.yaml', line: 7 },
    },
    broken: { name: 'broken', message: 'x', slack: { blocks: '[{"type": "section",' }, definedIn: { file: 'driftless/notifications.yaml', line: 20 } },
  },
  triggers: { 'on-sync-failed': ['broken'] },
  subscriptions: [{ triggers: ['on-deployed'], recipients: [{ service: 'audit', recipient: '' }] }],
  defaultTriggers: ['on-sync-failed'],
  services: { audit: 'webhook' },
  context: {},
  definedIn: { file: 'driftless/notifications.yaml', line: 1 },
};

describe('notificationEvents', () => {
  it('renders one event per route of a fired trigger, with a Slack body and a webhook body', () => {
    const setup = notificationsFor(config, [{ trigger: 'on-deployed', service: 'slack', recipients: ['deploys'] }]);
    expect(setup).toBeDefined();
    const { events, warnings } = notificationEvents(setup!, ['on-deployed', 'on-sync-succeeded'], values);
    expect(warnings).toEqual([]);
    const clean = cleanEvents(events);
    expect(clean.map((event) => [event.detailType, event.detail.trigger, event.detail.destination, event.detail.recipient])).toEqual([
      ['Notification', 'on-deployed', 'slack', 'deploys'],
      ['Notification', 'on-deployed', 'audit', ''],
    ]);
    expect(clean[0].detail).toMatchObject({
      app: 'guestbook',
      cluster: 'prod',
      revision: SHA,
      template: 'app-deployed',
      text: 'guestbook runs 0123456: all "good"',
    });
    expect(clean[0].detail.body).toEqual({
      text: 'guestbook runs 0123456: all "good"',
      channel: 'deploys',
      attachments: [{ title: 'guestbook', text: 'all "good"' }],
    });
    expect(clean[1].detail.body).toEqual({ app: 'guestbook', sha: SHA, to: '' });
  });

  it('sends the built-in template of a trigger the config does not define, and the default triggers for a bare subscription', () => {
    const setup = notificationsFor(undefined, [{ service: 'slack', recipients: ['ops'] }]);
    // No config: no default triggers, so nobody is subscribed to anything.
    expect(setup).toBeUndefined();
    const withDefaults = notificationsFor({ ...config, templates: {}, triggers: {}, subscriptions: [] }, [{ service: 'hook', recipients: [''] }]);
    const { events } = notificationEvents(withDefaults!, ['on-sync-failed'], { ...values, syncStatus: 'Failed', message: 'Deployment/guestbook/web: invalid' });
    expect(events).toHaveLength(1);
    expect(events[0].detail).toMatchObject({
      destination: 'hook',
      template: 'app-sync-failed',
      text: 'The sync of application guestbook to 0123456 on prod has failed: Deployment/guestbook/web: invalid',
      // A webhook without a body in the template gets the default one.
      body: { app: 'guestbook', cluster: 'prod', revision: SHA, trigger: 'on-sync-failed', recipient: '', text: expect.stringContaining('has failed') },
    });
  });

  it('sends a part that is not JSON once rendered as text only, and says so', () => {
    const setup = notificationsFor(config, [{ trigger: 'on-sync-failed', service: 'slack', recipients: ['ops'] }]);
    const { events, warnings } = notificationEvents(setup!, ['on-sync-failed'], values);
    expect(events[0].detail.body).toEqual({ text: 'x', channel: 'ops' });
    expect(warnings).toEqual([expect.stringMatching(/^template "broken" slack\.blocks \(driftless\/notifications\.yaml\) is not JSON once rendered/)]);
  });

  it('bounds the text', () => {
    const setup = notificationsFor(config, [{ trigger: 'on-deployed', service: 'slack', recipients: ['deploys'] }]);
    const { events } = notificationEvents(setup!, ['on-deployed'], { ...values, message: 'm'.repeat(10_000) });
    const [slack] = cleanEvents(events);
    expect(slack.detail.text?.length).toBeLessThanOrEqual(3000);
  });
});
