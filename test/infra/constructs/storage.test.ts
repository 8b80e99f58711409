// StateStore, RenderCache and EventsBus: the places Driftless keeps and announces things.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { logicalIdOf, resources, synthStack } from '../support.ts';

const { template } = synthStack();

describe('StateStore', () => {
  it('is one on-demand table keyed pk/sk with point-in-time recovery, TTL and encryption at rest', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    const table = resources(template)[logicalIdOf(template, 'AWS::DynamoDB::Table', 'StateTable')];
    expect(table.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    // DynamoDB always encrypts at rest; SSEEnabled false selects the AWS-owned key (true
    // would be the AWS-managed KMS key), as decided in StateStore.
    expect(table.Properties?.SSESpecification).toEqual({ SSEEnabled: false });
    expect(table.DeletionPolicy).toBe('Retain');
  });
});

describe('RenderCache', () => {
  const bucket = logicalIdOf(template, 'AWS::S3::Bucket', 'RenderCacheBucket');

  it('is a private, encrypted, unversioned bucket whose renders expire', () => {
    expect(resources(template)[bucket].Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [{ Status: 'Enabled', ExpirationInDays: 30, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
      },
    });
    expect(resources(template)[bucket].Properties?.VersioningConfiguration).toBeUndefined();
  });

  it('refuses plain-HTTP requests', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('EventsBus', () => {
  it('is a bus named driftless', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'driftless' });
  });
});
