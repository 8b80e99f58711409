import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { rateExpression } from '../../../infra/constructs/drift-scanner.ts';
import { functionProps, iamStatements, logicalIdOf, resources, synthStack } from '../support.ts';

describe('DriftScanner', () => {
  const { template } = synthStack();
  const role = logicalIdOf(template, 'AWS::IAM::Role', 'DriftScanSchedulerRole');

  it('invokes the drift-scan function every 5 minutes through its own scheduler role', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      // The live alias of the function (test/infra/aliases.test.ts).
      Target: { Arn: { Ref: logicalIdOf(template, 'AWS::Lambda::Alias', 'DriftScanHandler') }, RoleArn: { 'Fn::GetAtt': [role, 'Arn'] } },
    });
    expect(functionProps(template, 'DriftScanHandler').Environment.Variables.DRIFT_INTERVAL_SECONDS).toBe('300');
  });

  it('lets only EventBridge Scheduler of this account assume the scheduler role', () => {
    expect(resources(template)[role].Properties?.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
  });

  it('follows the driftSchedule setting', () => {
    const hourly = synthStack({ driftScheduleMinutes: 60 }).template;
    hourly.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)' });
    expect(functionProps(hourly, 'DriftScanHandler').Environment.Variables.DRIFT_INTERVAL_SECONDS).toBe('3600');
  });

  it('writes rate expressions Scheduler accepts', () => {
    expect(rateExpression(Duration.minutes(1))).toBe('rate(1 minute)');
    expect(rateExpression(Duration.minutes(5))).toBe('rate(5 minutes)');
    expect(rateExpression(Duration.minutes(90))).toBe('rate(90 minutes)');
    expect(rateExpression(Duration.hours(2))).toBe('rate(2 hours)');
    expect(rateExpression(Duration.days(1))).toBe('rate(1 day)');
    expect(() => rateExpression(Duration.seconds(30))).toThrow(/whole number of minutes/);
    expect(() => rateExpression(Duration.seconds(90))).toThrow(/whole number of minutes/);
  });
});

describe('DriftScanner failure path', () => {
  const { template } = synthStack();
  it('never retries a tick and sends an undeliverable one to its own DLQ, which the scheduler role may write', () => {
    const dlq = logicalIdOf(template, 'AWS::SQS::Queue', 'ScheduleDeadLetterQueue');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: { RetryPolicy: { MaximumRetryAttempts: 0 }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } } },
    });
    const role = logicalIdOf(template, 'AWS::IAM::Role', 'DriftScanSchedulerRole');
    const granted = iamStatements(template.toJSON() as never).filter((statement) => statement.roles.includes(`<${role}>`));
    expect(granted.map((statement) => [statement.actions, statement.resources])).toEqual(expect.arrayContaining([[['sqs:SendMessage'], [`<${dlq}.Arn>`]]]));
  });
});
