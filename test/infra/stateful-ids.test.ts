// CloudFormation replaces a resource whose logical id changes: for these that means an empty
// table, a lost render cache, dropped jobs and a newly generated webhook secret GitHub does
// not know. A refactor that moves or renames their constructs must fail here first; the ids
// are written out, not derived, on purpose.
import { describe, expect, it } from 'vitest';
import { resources, synthStack } from './support.ts';

const STATEFUL = /^AWS::(DynamoDB::Table|S3::Bucket|SQS::Queue|SecretsManager::Secret)$/;

describe('stateful resources', () => {
  const { template } = synthStack();
  const stateful = Object.entries(resources(template)).filter(([, resource]) => STATEFUL.test(resource.Type));

  it('keep their logical ids', () => {
    expect(Object.fromEntries(stateful.map(([id, resource]) => [id, resource.Type]))).toEqual({
      DriftlessStateTableA035F293: 'AWS::DynamoDB::Table',
      DriftlessRenderCacheBucket665B5F8A: 'AWS::S3::Bucket',
      DriftlessSyncJobs21231B25: 'AWS::SQS::Queue',
      DriftlessSyncDeadLetterQueue2C4EB4FD: 'AWS::SQS::Queue',
      DriftlessDriftScanScheduleDeadLetterQueueEDE2529D: 'AWS::SQS::Queue',
      DriftlessChartCredentialsSecret882E2508: 'AWS::SecretsManager::Secret',
      GitHubSecret80707A5C: 'AWS::SecretsManager::Secret',
      WebhookSecretF21E29CC: 'AWS::SecretsManager::Secret',
    });
  });

  it('outlive the stack: table, bucket and the three secrets are retained, the table refuses deletion', () => {
    const policies = Object.fromEntries(stateful.filter(([, r]) => r.Type !== 'AWS::SQS::Queue').map(([id, r]) => [id, r.DeletionPolicy]));
    expect(Object.values(policies)).toEqual(['Retain', 'Retain', 'Retain', 'Retain', 'Retain']);
    expect(resources(template).DriftlessStateTableA035F293.Properties?.DeletionProtectionEnabled).toBe(true);
  });

  it('generates a webhook secret only when none is given, so an existing one is never regenerated', () => {
    const given = synthStack({ webhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hook-XyZ789' }).template;
    expect(JSON.stringify(given.toJSON())).not.toContain('GenerateSecretString');
  });

  it('keeps the id of driftless/sops-age (created with sopsAge), retained, its placeholder literal', () => {
    const sopsAge = Object.entries(resources(synthStack({ sopsAge: true }).template)).filter(
      ([id, resource]) => STATEFUL.test(resource.Type) && !(id in resources(template)),
    );
    expect(sopsAge.map(([id, resource]) => [id, resource.Type, resource.DeletionPolicy])).toEqual([
      ['DriftlessSopsKeysAgeSecret95362A35', 'AWS::SecretsManager::Secret', 'Retain'],
    ]);
    expect(sopsAge[0][1].Properties).not.toHaveProperty('GenerateSecretString');
  });

  it('creates the chart credentials secret with a literal empty list, never a generated value', () => {
    expect(resources(template).DriftlessChartCredentialsSecret882E2508.Properties).toMatchObject({
      Name: 'driftless/chart-repositories',
      SecretString: '[]',
    });
    expect(resources(template).DriftlessChartCredentialsSecret882E2508.Properties).not.toHaveProperty('GenerateSecretString');
  });
});
