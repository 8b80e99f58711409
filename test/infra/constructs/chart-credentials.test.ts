// Private chart repositories: the worker, and only the worker, is told where their credentials
// are (CHART_CREDENTIALS_SECRET_ARN, read by shared/source/chart/environment.ts).
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { Driftless } from '../../../infra/driftless.ts';
import { functionProps, logicalIdOf, resources, STUB_ENTRIES, synthStack } from '../support.ts';

const env = (template: Template, fragment: string): Record<string, unknown> =>
  functionProps(template, fragment).Environment.Variables as Record<string, unknown>;

describe('ChartCredentials', () => {
  it('creates driftless/chart-repositories and names it to the worker alone', () => {
    const { template } = synthStack();
    const secret = logicalIdOf(template, 'AWS::SecretsManager::Secret', 'ChartCredentials');
    expect(env(template, 'SyncWorker').CHART_CREDENTIALS_SECRET_ARN).toEqual({ Ref: secret });
    expect(env(template, 'WebhookHandler')).not.toHaveProperty('CHART_CREDENTIALS_SECRET_ARN');
    expect(env(template, 'DriftScanHandler')).not.toHaveProperty('CHART_CREDENTIALS_SECRET_ARN');
  });

  it('uses a given secret instead of creating one', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Embedded');
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:platform/helm-repos-AbC123';
    new Driftless(stack, 'Driftless', {
      github: {
        secret: secretsmanager.Secret.fromSecretNameV2(stack, 'GitHub', 'driftless/github'),
        webhookSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Hook', 'driftless/webhook'),
      },
      configRepository: { url: 'https://github.com/acme/platform-config' },
      clusters: [{ name: 'dev', namespaces: ['apps'] }],
      chartCredentialsSecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Charts', arn),
      entries: STUB_ENTRIES,
    });
    const template = Template.fromStack(stack);
    expect(Object.values(resources(template)).filter((r) => r.Type === 'AWS::SecretsManager::Secret')).toEqual([]);
    expect(env(template, 'SyncWorker').CHART_CREDENTIALS_SECRET_ARN).toBe(arn);
  });
});
