import { describe, expect, it } from 'vitest';
import { type Cfn, logicalIdOf, resources, synthStack } from '../support.ts';

describe('Monitoring', () => {
  const { template } = synthStack();
  const alarms = () => Object.values(resources(template)).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((r) => r.Properties as Record<string, Cfn>);

  it('alarms as soon as a job waits in the DLQ', () => {
    const dlq = logicalIdOf(template, 'AWS::SQS::Queue', 'DeadLetterQueue');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it('alarms on failed syncs from the handlers\' metrics, with the dimension Powertools adds', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Driftless',
      MetricName: 'SyncFailed',
      Dimensions: [{ Name: 'service', Value: 'driftless' }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it('alarms on webhook 5xx answers and on every function\'s errors', () => {
    const webhook = logicalIdOf(template, 'AWS::Lambda::Function', 'WebhookHandler');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Url5xxCount',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: webhook } }],
    });
    const errorAlarms = alarms().filter((alarm) => alarm.MetricName === 'Errors').map((alarm) => alarm.Dimensions[0].Value.Ref);
    expect(errorAlarms.sort()).toEqual(
      ['WebhookHandler', 'SyncWorker', 'DriftScanHandler'].map((name) => logicalIdOf(template, 'AWS::Lambda::Function', name)).sort(),
    );
    expect(alarms()).toHaveLength(6);
  });

  it('notifies nobody without a topic and the topic on ALARM and OK with one', () => {
    for (const alarm of alarms()) expect(alarm.AlarmActions).toBeUndefined();
    const topic = 'arn:aws:sns:eu-west-1:123456789012:ops';
    synthStack({ alarmTopicArn: topic }).template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  it('draws syncs, failures, durations, drift and queue age on one dashboard', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const text of ['Syncs', 'Failures', 'Sync duration', 'Drift', 'Queue age', 'SyncSucceeded', 'SyncFailed', 'SyncDuration', 'DriftDetected', 'ApproximateAgeOfOldestMessage', 'p90']) {
      expect(body, text).toContain(text);
    }
  });
});
