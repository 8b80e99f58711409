import { describe, expect, it } from 'vitest';
import { type Cfn, logicalIdOf, render, resources, synthStack } from '../support.ts';

describe('Monitoring', () => {
  const { template } = synthStack();
  const composites = () =>
    Object.values(resources(template))
      .filter((r) => r.Type === 'AWS::CloudWatch::CompositeAlarm')
      .map((r) => r.Properties as Record<string, Cfn>);
  const alarms = () =>
    Object.values(resources(template))
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => r.Properties as Record<string, Cfn>);

  it('alarms as soon as a job waits in the DLQ', () => {
    const dlq = logicalIdOf(template, 'AWS::SQS::Queue', 'SyncDeadLetterQueue');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it("alarms on the share of failed syncs from the handlers' metrics (not on one failure), with the dimension Powertools adds", () => {
    const rate = alarms().find((alarm) => alarm.Metrics?.some((m: Cfn) => m.Expression?.includes('failed')));
    expect(rate).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0.2, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    const inputs = rate!.Metrics.filter((m: Cfn) => m.MetricStat).map((m: Cfn) => m.MetricStat.Metric);
    expect(inputs).toEqual(
      expect.arrayContaining([
        { Namespace: 'Driftless', MetricName: 'SyncFailed', Dimensions: [{ Name: 'service', Value: 'driftless' }] },
        { Namespace: 'Driftless', MetricName: 'SyncSucceeded', Dimensions: [{ Name: 'service', Value: 'driftless' }] },
      ]),
    );
    // No alarm fires on a single failed sync any more.
    expect(alarms().filter((alarm) => alarm.MetricName === 'SyncFailed')).toEqual([]);
  });

  it("alarms on webhook 5xx answers and on every function's errors", () => {
    const webhook = logicalIdOf(template, 'AWS::Lambda::Function', 'WebhookHandler');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Url5xxCount',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: webhook } }],
    });
    const errorAlarms = alarms()
      .filter((alarm) => alarm.MetricName === 'Errors')
      .map((alarm) => alarm.Dimensions[0].Value.Ref);
    expect(errorAlarms.sort()).toEqual(
      ['WebhookHandler', 'SyncWorker', 'DriftScanHandler'].map((name) => logicalIdOf(template, 'AWS::Lambda::Function', name)).sort(),
    );
    expect(alarms()).toHaveLength(12);
  });

  it('creates a topic when none is given, outputs its ARN and notifies it on ALARM and OK', () => {
    const topics = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    for (const alarm of [...alarms(), ...composites()]) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topics[0] }]);
      expect(alarm.OKActions).toEqual([{ Ref: topics[0] }]);
    }
    const outputs = Object.values(template.findOutputs('*')).filter((output) => JSON.stringify(output.Value) === JSON.stringify({ Ref: topics[0] }));
    expect(outputs).toHaveLength(1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('subscribes alarmEmail by e-mail, to the created topic or the one given', () => {
    const own = synthStack({ alarmEmail: 'ops@example.com' }).template;
    own.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: Object.keys(own.findResources('AWS::SNS::Topic'))[0] },
    });

    const topic = 'arn:aws:sns:eu-west-1:123456789012:ops';
    const given = synthStack({ alarmTopicArn: topic, alarmEmail: 'ops@example.com' }).template;
    given.resourceCountIs('AWS::SNS::Topic', 0);
    given.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: topic });
    given.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic] });
    given.allResourcesProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [topic], OKActions: [topic] });
    expect(() => synthStack({ alarmEmail: 'not-an-address' })).toThrow(/alarmEmail/);
  });

  it('alarms when a job has outlived its retry schedule: its FIFO group is stalled', () => {
    const queue = logicalIdOf(template, 'AWS::SQS::Queue', 'SyncJobs');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanThreshold',
      // More than the backoff schedule's 3,645 s of waiting (retry-later.ts) plus the attempts.
      Threshold: 5400,
    });
  });

  it('alarms on worker throttles', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Throttles',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(template, 'AWS::Lambda::Function', 'SyncWorker') } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it("alarms when most of GitHub's signed deliveries are refused (a wrong webhook secret refuses every push)", () => {
    const rate = alarms().find((alarm) => alarm.Metrics?.some((m: Cfn) => m.Expression?.includes('rejected')));
    expect(rate).toMatchObject({ ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 0.5 });
    const names = rate!.Metrics.filter((m: Cfn) => m.MetricStat)
      .map((m: Cfn) => m.MetricStat.Metric.MetricName)
      .sort();
    expect(names).toEqual(['WebhookSignatureAccepted', 'WebhookSignatureRejected']);
  });

  it('alarms when the drift scan did not run for two schedule periods, missing data included', () => {
    const scan = logicalIdOf(template, 'AWS::Lambda::Function', 'DriftScanHandler');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocations',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: scan } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 2,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    synthStack({ driftScheduleMinutes: 60 }).template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocations',
      Period: 3600,
      EvaluationPeriods: 2,
    });
  });

  it('alarms on invocations EventBridge Scheduler dropped and on drift scans that could not tell', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Scheduler',
      MetricName: 'InvocationDroppedCount',
      Dimensions: [{ Name: 'ScheduleGroup', Value: 'default' }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Driftless',
      MetricName: 'DriftUnknown',
      Dimensions: [{ Name: 'service', Value: 'driftless' }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it('sums up "deploys are not happening" in one composite alarm over the alarms on the push-to-deploy path', () => {
    expect(composites()).toHaveLength(1);
    const rule = render(composites()[0].AlarmRule);
    const named = (fragment: string) => `ALARM("<${logicalIdOf(template, 'AWS::CloudWatch::Alarm', fragment)}.Arn>")`;
    for (const fragment of [
      'WebhookSignatureRejectedRate',
      'WebhookServerErrors',
      'OldestJobAge',
      'DeadLetterQueueNotEmpty',
      'WorkerThrottles',
      'SyncFailureRate',
      'MonitoringWorkerErrors',
    ]) {
      expect(rule, fragment).toContain(named(fragment));
    }
    expect(rule.split(' OR ')).toHaveLength(7);
  });

  it('draws syncs, failures, durations, drift and queue age on one dashboard', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const text of [
      'Syncs',
      'Failures',
      'Sync duration',
      'Drift',
      'Queue age',
      'SyncSucceeded',
      'SyncFailed',
      'SyncDuration',
      'DriftDetected',
      'ApproximateAgeOfOldestMessage',
      'p90',
    ]) {
      expect(body, text).toContain(text);
    }
  });
});
