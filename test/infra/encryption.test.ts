// Optional customer managed KMS keys (issue 19 item 6): without one, AWS owned and managed keys
// as before; with one (given, or created with rotation), the table, the render bucket, both
// sync queues, the schedule's DLQ and the alarm topic use it, and each role that touches them
// may Decrypt and GenerateDataKey with that key and no other.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { Driftless, type DriftlessProps } from '../../infra/driftless.ts';
import { type Cfn, iamStatements, logicalIdOf, render, resources, STUB_ENTRIES } from './support.ts';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

function synth(props: Partial<DriftlessProps> | ((stack: Stack) => Partial<DriftlessProps>) = {}): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Keyed', { env: { account: '123456789012', region: 'eu-west-1' } });
  new Driftless(stack, 'Driftless', {
    github: {
      secret: secretsmanager.Secret.fromSecretNameV2(stack, 'GitHub', 'driftless/github'),
      webhookSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Hook', 'driftless/webhook'),
    },
    configRepository: { url: 'https://github.com/acme/platform-config' },
    clusters: [{ name: 'dev', namespaces: ['apps'] }],
    entries: STUB_ENTRIES,
    ...(typeof props === 'function' ? props(stack) : props),
  });
  return Template.fromStack(stack);
}

const of = (template: Template, type: string): Cfn[] =>
  Object.values(resources(template))
    .filter((resource) => resource.Type === type)
    .map((resource) => resource.Properties);

/** Where each stateful resource takes its key from, rendered (`<Key.Arn>`, or the given ARN). */
function keysOf(template: Template): Record<string, unknown> {
  const [table] = of(template, 'AWS::DynamoDB::Table');
  const [bucket] = of(template, 'AWS::S3::Bucket');
  return {
    table: table.SSESpecification?.KMSMasterKeyId && render(table.SSESpecification.KMSMasterKeyId),
    bucket: bucket.BucketEncryption.ServerSideEncryptionConfiguration.map(
      (rule: Cfn) => rule.ServerSideEncryptionByDefault.KMSMasterKeyID && render(rule.ServerSideEncryptionByDefault.KMSMasterKeyID),
    ),
    queues: of(template, 'AWS::SQS::Queue').map((queue) => queue.KmsMasterKeyId && render(queue.KmsMasterKeyId)),
    topic: of(template, 'AWS::SNS::Topic').map((topic) => topic.KmsMasterKeyId && render(topic.KmsMasterKeyId)),
  };
}

/** `{ role: [kms actions on resources] }` for every KMS statement. */
function kmsUse(template: Template): Record<string, string[]> {
  const use: Record<string, string[]> = {};
  for (const statement of iamStatements(template.toJSON() as never)) {
    const actions = statement.actions.filter((action) => action.startsWith('kms:'));
    if (actions.length === 0) continue;
    for (const role of statement.roles) {
      const name = role.replace(/^<Driftless(\w+?)Role[0-9A-F]{8}>$/, '$1');
      use[name] = [...new Set([...(use[name] ?? []), ...actions.map((action) => `${action} ${statement.resources.join(',')}`)])].sort();
    }
  }
  return use;
}

describe('customer managed keys', () => {
  it('are not used unless asked: the AWS owned table key, S3 and SQS managed keys, no KMS permission', () => {
    const template = synth();
    expect(of(template, 'AWS::KMS::Key')).toEqual([]);
    // SSE off in CloudFormation's terms is DynamoDB's AWS owned key.
    expect(of(template, 'AWS::DynamoDB::Table')[0].SSESpecification).toEqual({ SSEEnabled: false });
    expect(of(template, 'AWS::S3::Bucket')[0].BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
    expect(of(template, 'AWS::SQS::Queue').map((queue) => queue.SqsManagedSseEnabled)).toEqual([true, true, true]);
    expect(kmsUse(template)).toEqual({});
  });

  it('encrypt everything with a given key, and let each role use that key for data only', () => {
    const template = synth((stack) => ({ encryptionKey: kms.Key.fromKeyArn(stack, 'Given', KEY_ARN) }));
    expect(keysOf(template)).toEqual({ table: KEY_ARN, bucket: [KEY_ARN], queues: [KEY_ARN, KEY_ARN, KEY_ARN], topic: [KEY_ARN] });
    expect(of(template, 'AWS::DynamoDB::Table')[0].SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    expect(of(template, 'AWS::S3::Bucket')[0].BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' },
    });
    const data = [`kms:Decrypt ${KEY_ARN}`, `kms:GenerateDataKey ${KEY_ARN}`];
    expect(kmsUse(template)).toEqual({
      WebhookHandler: data,
      SyncWorker: data,
      DriftScanHandler: data,
      // Scheduler puts an undeliverable run into the encrypted schedule DLQ.
      DriftScanScheduler: data,
    });
  });

  it('create a rotating, retained key when customerManagedKey is set, that CloudWatch may use for the alarm topic', () => {
    const template = synth({ customerManagedKey: true });
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', 'Key');
    const key = resources(template)[keyId];
    expect(key.Properties).toMatchObject({ EnableKeyRotation: true });
    expect(key.DeletionPolicy).toBe('Retain');
    const arn = `<${keyId}.Arn>`;
    expect(keysOf(template)).toEqual({ table: arn, bucket: [arn], queues: [arn, arn, arn], topic: [arn] });
    const services = (key.Properties as Cfn).KeyPolicy.Statement.filter((statement: Cfn) => statement.Principal?.Service).map((statement: Cfn) => [
      statement.Principal.Service,
      statement.Action,
    ]);
    expect(services).toEqual(
      expect.arrayContaining([
        ['cloudwatch.amazonaws.com', ['kms:Decrypt', 'kms:GenerateDataKey']],
        ['budgets.amazonaws.com', ['kms:Decrypt', 'kms:GenerateDataKey']],
      ]),
    );
    expect(Object.keys(kmsUse(template)).sort()).toEqual(['DriftScanHandler', 'DriftScanScheduler', 'SyncWorker', 'WebhookHandler']);
  });

  it('refuses a given key and a created one at once', () => {
    expect(() => synth((stack) => ({ customerManagedKey: true, encryptionKey: kms.Key.fromKeyArn(stack, 'Given', KEY_ARN) }))).toThrow(/not both/);
  });
});
