// The settings a deployment tunes, passed from CDK context (as cdk.json and -c give them) or
// Driftless props through to the resources, and refused with the key's name when out of range.
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DriftlessStack } from '../../infra/stack.ts';
import { type Cfn, functionProps, resources, STUB_ENTRIES, synthStack } from './support.ts';

const only = (template: ReturnType<typeof synthStack>['template'], type: string): { Properties?: Cfn; DeletionPolicy?: string } => {
  const found = Object.values(resources(template)).filter((resource) => resource.Type === type);
  expect(found, type).toHaveLength(1);
  return found[0];
};

describe('construct props', () => {
  it('keeps the defaults when nothing is set', () => {
    const { template } = synthStack();
    expect(functionProps(template, 'SyncWorker').MemorySize).toBe(2048);
    expect(only(template, 'AWS::Lambda::EventSourceMapping').Properties?.BatchSize).toBe(1);
    expect(only(template, 'AWS::DynamoDB::Table')).toMatchObject({ DeletionPolicy: 'Retain', Properties: { DeletionProtectionEnabled: true } });
    expect(only(template, 'AWS::S3::Bucket').DeletionPolicy).toBe('Retain');
    expect(functionProps(template, 'WebhookHandler').Architectures).toEqual(['arm64']);
  });

  it('passes worker memory, batch size, removal policy, architecture and extra environment from context', () => {
    const app = new App({
      context: {
        'aws:cdk:bundling-stacks': [],
        configRepoUrl: 'https://github.com/acme/fleet',
        clusters: '[{"name":"blue","namespaces":["web"]}]',
        // As `-c key=value` gives them: strings.
        workerMemory: '4096',
        workerBatchSize: '3',
        removalPolicy: 'destroy',
        architecture: 'x86_64',
        functionEnvironment: '{"OTEL_SERVICE_NAME":"gitops","HTTP_TIMEOUT_MS":"5000"}',
        webhookConcurrency: '25',
      },
    });
    const stack = new DriftlessStack(app, 'Tuned', { entries: STUB_ENTRIES });
    const template = (stack.node.root as App).synth().getStackByName('Tuned').template as { Resources: Record<string, Cfn> };
    const typed = (type: string) => Object.values(template.Resources).filter((resource) => resource.Type === type);
    const fn = (fragment: string) =>
      Object.entries(template.Resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.includes(fragment))![1].Properties;

    expect(fn('SyncWorker').MemorySize).toBe(4096);
    expect(typed('AWS::Lambda::EventSourceMapping')[0].Properties.BatchSize).toBe(3);
    expect(typed('AWS::DynamoDB::Table')[0]).toMatchObject({ DeletionPolicy: 'Delete', Properties: { DeletionProtectionEnabled: false } });
    expect(typed('AWS::S3::Bucket')[0].DeletionPolicy).toBe('Delete');
    expect(fn('WebhookHandler').Architectures).toEqual(['x86_64']);
    expect(fn('DriftScanHandler').Architectures).toEqual(['x86_64']);
    expect(fn('WebhookHandler').ReservedConcurrentExecutions).toBe(25);
    for (const name of ['WebhookHandler', 'SyncWorker', 'DriftScanHandler']) {
      expect(fn(name).Environment.Variables, name).toMatchObject({ OTEL_SERVICE_NAME: 'gitops', HTTP_TIMEOUT_MS: '5000' });
    }
  });

  it('keeps the worker on x86_64 whatever architecture says: its kubectl and helm are x86-64 binaries', () => {
    const { template } = synthStack({ architecture: 'arm64' });
    expect(functionProps(template, 'SyncWorker').Architectures).toEqual(['x86_64']);
  });

  it('refuses values out of range, naming the setting', () => {
    expect(() => synthStack({ workerMemory: 64 })).toThrow(/workerMemory must be an integer number of MB from 128 to 10240/);
    expect(() => synthStack({ workerBatchSize: 11 })).toThrow(/workerBatchSize must be an integer from 1 to 10/);
    const context = (extra: Record<string, unknown>) => () =>
      new DriftlessStack(
        new App({
          context: { 'aws:cdk:bundling-stacks': [], configRepoUrl: 'https://github.com/a/b', clusters: '[{"name":"a","namespaces":["x"]}]', ...extra },
        }),
        'Bad',
        {
          entries: STUB_ENTRIES,
        },
      );
    expect(context({ workerMemory: '20000' })).toThrow(/workerMemory/);
    expect(context({ removalPolicy: 'snapshot' })).toThrow(/removalPolicy/);
    expect(context({ architecture: 'arm' })).toThrow(/architecture/);
    expect(context({ encryptionKeyArn: 'alias/mine' })).toThrow(/encryptionKeyArn: a KMS key ARN/);
  });

  it('refuses extra environment that would replace what Driftless or Lambda sets', () => {
    expect(() => synthStack({ functionEnvironment: { STATE_TABLE: 'other' } })).toThrow(/STATE_TABLE is set by Driftless or reserved by Lambda/);
    expect(() => synthStack({ functionEnvironment: { POWERTOOLS_SERVICE_NAME: 'x' } })).toThrow(/POWERTOOLS_SERVICE_NAME is set by Driftless/);
    expect(() => synthStack({ functionEnvironment: { AWS_REGION: 'us-east-1' } })).toThrow(/AWS_REGION is set by Driftless or reserved by Lambda/);
  });

  it('encrypts with a created key from context, or with the key encryptionKeyArn names', () => {
    const created = synthStack({ customerManagedKey: true }).template;
    expect(Object.values(resources(created)).filter((r) => r.Type === 'AWS::KMS::Key')).toHaveLength(1);
    const arn = 'arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
    const given = synthStack({ encryptionKeyArn: arn }).template;
    expect(only(given, 'AWS::DynamoDB::Table').Properties?.SSESpecification).toMatchObject({ KMSMasterKeyId: arn });
  });
});
