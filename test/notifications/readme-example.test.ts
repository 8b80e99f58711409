// README "Notifications" shows a worked example; it must load as the registry loads it, and the
// CDK context beside it must pass the context check.
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readDriftlessContext } from '../../infra/context.ts';
import { registryOf } from '../config/registry-files.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = README.slice(README.indexOf('## Notifications'), README.indexOf('## Failure and recovery'));

function block(firstLine: string): string {
  const start = section.indexOf(firstLine);
  expect(start, `README "Notifications" has a block starting ${firstLine}`).toBeGreaterThan(0);
  return section.slice(start, section.indexOf('\n```', start) + 1);
}

describe('the README example', () => {
  it('loads: the ConfigMap and the annotated app', () => {
    const app = `apiVersion: argoproj.io/v1alpha1\nkind: Application\n${block('metadata:\n  name: guestbook')}spec:\n  source: { repoURL: https://github.com/acme/guestbook, path: deploy }\n  destination: { name: prod, namespace: guestbook }\n`;
    const registry = registryOf({
      'driftless/clusters.yaml': 'apiVersion: driftless.io/v1alpha1\nkind: Cluster\nmetadata: { name: prod }\nspec:\n  kubeconfig: { context: prod }\n',
      'driftless/notifications.yaml': block('# driftless/notifications.yaml'),
      'driftless/guestbook.yaml': app,
    });
    expect(registry.notifications?.services).toEqual({ slack: 'slack', audit: 'webhook' });
    expect(Object.keys(registry.notifications?.templates ?? {})).toEqual(['app-deployed']);
    expect(registry.apps[0].subscriptions).toEqual([
      { trigger: 'on-deployed', service: 'slack', recipients: ['deploys'] },
      { trigger: 'on-sync-failed', service: 'slack', recipients: ['deploys', 'oncall'] },
    ]);
  });

  it('has CDK context the synth accepts', () => {
    const text = block('"notifications": {');
    const notifications = (JSON.parse(`{${text.replace(/\n```\n?$/, '')}}`) as { notifications: unknown }).notifications;
    const app = new App({
      context: { configRepoUrl: 'https://github.com/acme/platform-config', clusters: [{ name: 'dev', namespaces: ['apps'] }], notifications },
    });
    expect(readDriftlessContext(app.node).notifications?.destinations.map((destination) => destination.name)).toEqual(['slack', 'audit']);
  });
});
