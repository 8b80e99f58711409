// What an operator looks at: alarms that say something needs a person, and one dashboard.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME, type DriftlessFunction } from './driftless-function.ts';

export interface MonitoringProps {
  readonly webhook: DriftlessFunction;
  readonly worker: DriftlessFunction;
  readonly driftScan: DriftlessFunction;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** Receives every alarm's ALARM and OK transitions. */
  readonly alarmTopic?: sns.ITopic;
}

const PERIOD = Duration.minutes(5);

/**
 * A metric the handlers emit through EMF. Powertools adds the `service` dimension to every
 * metric, and CloudWatch keeps each dimension set apart, so it must be named here too.
 */
export function driftlessMetric(metricName: string, statistic = 'Sum'): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period: PERIOD,
  });
}

export class Monitoring extends Construct {
  declare readonly alarms: cloudwatch.Alarm[];
  declare readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarms = [];
    const functions: Array<[string, DriftlessFunction]> = [
      ['Webhook', props.webhook],
      ['Worker', props.worker],
      ['DriftScan', props.driftScan],
    ];

    // Something at least once: every one of these means a job, a push or a scan was lost or failed.
    const atLeastOnce = (alarmId: string, description: string, metric: cloudwatch.IMetric): void => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      if (props.alarmTopic) {
        alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
        alarm.addOkAction(new actions.SnsAction(props.alarmTopic));
      }
      this.alarms.push(alarm);
    };

    atLeastOnce(
      'DeadLetterQueueNotEmpty',
      'Sync jobs failed every delivery and wait in the DLQ: read the worker logs, fix, then redrive.',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    );
    atLeastOnce(
      'SyncFailures',
      'At least one sync failed (render, policy, apply or health); the commit status says which app and cluster.',
      driftlessMetric('SyncFailed'),
    );
    atLeastOnce(
      'WebhookServerErrors',
      'The webhook answered GitHub with a 5xx; GitHub does not retry, so that push was not synced until the next drift scan.',
      props.webhook.fn.metric('Url5xxCount', { statistic: 'Sum', period: PERIOD }),
    );
    for (const [name, fn] of functions) {
      atLeastOnce(
        `${name}Errors`,
        `The ${name} function failed invocations (unhandled errors or timeouts).`,
        fn.fn.metricErrors({ statistic: 'Sum', period: PERIOD }),
      );
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Syncs',
            left: [driftlessMetric('SyncSucceeded'), driftlessMetric('SyncFailed')],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Failures',
            left: [
              driftlessMetric('SyncFailed'),
              props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'Jobs in DLQ', statistic: 'Maximum' }),
              ...functions.map(([name, fn]) => fn.fn.metricErrors({ label: `${name} errors`, statistic: 'Sum', period: PERIOD })),
            ],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Sync duration',
            left: ['p50', 'p90', 'Maximum'].map((statistic) =>
              driftlessMetric('SyncDuration', statistic).with({ label: `SyncDuration ${statistic}` }),
            ),
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Drift',
            left: [driftlessMetric('DriftDetected')],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Queue age',
            left: [
              props.queue.metricApproximateAgeOfOldestMessage({ label: 'Oldest job (s)', statistic: 'Maximum' }),
              props.deadLetterQueue.metricApproximateAgeOfOldestMessage({ label: 'Oldest DLQ job (s)', statistic: 'Maximum' }),
            ],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Worker concurrency and throttles',
            left: [props.worker.fn.metric('ConcurrentExecutions', { statistic: 'Maximum' })],
            right: functions.map(([name, fn]) => fn.fn.metricThrottles({ label: `${name} throttles`, statistic: 'Sum' })),
            width: 8,
          }),
        ],
      ],
    });
  }
}
