// What an operator looks at: alarms that say something needs a person, sent to a topic that
// reaches one, and one dashboard.
import { CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME, type DriftlessFunction } from './driftless-function.ts';

export interface MonitoringProps {
  readonly webhook: DriftlessFunction;
  readonly worker: DriftlessFunction;
  readonly driftScan: DriftlessFunction;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** Receives every alarm's ALARM and OK transitions. Default: a topic created here. */
  readonly alarmTopic?: sns.ITopic;
  /** Subscribed to the alarm topic by e-mail (the address confirms the subscription once). */
  readonly alarmEmail?: string;
  /** The drift schedule's period: a run missing for two of them is alarmed on. Default 5 minutes. */
  readonly driftInterval?: Duration;
  /** Schedule group of the drift schedule, the dimension of Scheduler's metrics. Default `default`. */
  readonly scheduleGroupName?: string;
  /**
   * Encrypts the topic created here. Its key policy must let CloudWatch (and AWS Budgets, with
   * a budget) use it: done here for a key of this stack; an imported key's policy says so itself.
   */
  readonly encryptionKey?: kms.IKey;
}

/** A job older than this has outlived its whole retry schedule (just over an hour): its group is stuck. */
const STALLED_JOB_AGE = Duration.minutes(90);
/** Share of the period's syncs that failed above which a person should look. */
const SYNC_FAILURE_RATE = 0.2;
/** Share of GitHub's deliveries refused for their signature above which the webhook secret is wrong. */
const WEBHOOK_REJECTED_RATE = 0.5;

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
  declare readonly deploysStalled: cloudwatch.CompositeAlarm;
  declare readonly alarmTopic: sns.ITopic;
  declare readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarms = [];
    this.alarmTopic = props.alarmTopic ?? this.#createTopic(props.encryptionKey);
    if (props.alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.alarmEmail)) {
      throw new Error(`alarmEmail must be an e-mail address, got "${props.alarmEmail}".`);
    }
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topicArn,
      description: 'SNS topic of the Driftless alarms: subscribe e-mail, chat (AWS Chatbot) or paging here',
    });
    const notify = (alarm: cloudwatch.AlarmBase): void => {
      alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
      alarm.addOkAction(new actions.SnsAction(this.alarmTopic));
    };
    const functions: Array<[string, DriftlessFunction]> = [
      ['Webhook', props.webhook],
      ['Worker', props.worker],
      ['DriftScan', props.driftScan],
    ];
    const add = (alarmId: string, options: cloudwatch.AlarmProps): cloudwatch.Alarm => {
      const alarm = new cloudwatch.Alarm(this, alarmId, options);
      notify(alarm);
      this.alarms.push(alarm);
      return alarm;
    };

    // Something at least once: every one of these means a job, a push or a scan was lost or failed.
    const atLeastOnce = (alarmId: string, description: string, metric: cloudwatch.IMetric): cloudwatch.Alarm =>
      add(alarmId, {
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });

    // A share of two counts over PERIOD (a math expression); periods without any count as 0.
    type ShareAlarmOptions = Omit<cloudwatch.AlarmProps, 'metric' | 'treatMissingData'> &
      Pick<cloudwatch.MathExpressionProps, 'expression' | 'usingMetrics' | 'label'>;
    const shareAlarm = (alarmId: string, { expression, usingMetrics, label, ...options }: ShareAlarmOptions): cloudwatch.Alarm =>
      add(alarmId, {
        ...options,
        metric: new cloudwatch.MathExpression({ expression, usingMetrics, period: PERIOD, label }),
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });

    const deadLetters = atLeastOnce(
      'DeadLetterQueueNotEmpty',
      'Sync jobs failed every delivery and wait in the DLQ: read the worker logs, fix, then redrive.',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    );
    // A rate, not "> 0": one app with a broken manifest must not page anyone all day, a fleet
    // failing must. Periods without syncs count as 0.
    const syncFailures = shareAlarm('SyncFailureRate', {
      alarmDescription: `More than ${SYNC_FAILURE_RATE * 100}% of syncs failed in 2 of 3 periods; the commit statuses and history say which apps and clusters.`,
      expression: 'IF(succeeded + failed > 0, failed / (succeeded + failed), 0)',
      usingMetrics: { succeeded: driftlessMetric('SyncSucceeded'), failed: driftlessMetric('SyncFailed') },
      label: 'Share of syncs failed',
      threshold: SYNC_FAILURE_RATE,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    const webhook5xx = atLeastOnce(
      'WebhookServerErrors',
      'The webhook answered GitHub with a 5xx; GitHub does not retry, so that push was not synced until the next drift scan.',
      props.webhook.fn.metric('Url5xxCount', { statistic: 'Sum', period: PERIOD }),
    );
    const webhookRejected = shareAlarm('WebhookSignatureRejectedRate', {
      alarmDescription:
        "GitHub's deliveries are refused for their signature: the webhook secret in GitHub is not the one in Secrets Manager, so every push is silently ignored.",
      expression: 'IF(rejected > 0, rejected / (rejected + accepted), 0)',
      usingMetrics: { rejected: driftlessMetric('WebhookSignatureRejected'), accepted: driftlessMetric('WebhookSignatureAccepted') },
      label: 'Share of signed deliveries refused (401)',
      threshold: WEBHOOK_REJECTED_RATE,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    const stalled = add('OldestJobAge', {
      alarmDescription: `A sync job has waited over ${STALLED_JOB_AGE.toMinutes()} minutes, longer than its whole retry schedule: its target's FIFO group is stalled (a worker stuck, throttled or failing).`,
      metric: props.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }),
      threshold: STALLED_JOB_AGE.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const throttles = atLeastOnce(
      'WorkerThrottles',
      "The worker was throttled (the account's concurrency is used up): throttled receives count towards the DLQ.",
      props.worker.fn.metricThrottles({ statistic: 'Sum', period: PERIOD }),
    );
    const workerErrors = new Map<string, cloudwatch.Alarm>();
    for (const [name, fn] of functions) {
      workerErrors.set(
        name,
        atLeastOnce(
          `${name}Errors`,
          `The ${name} function failed invocations (unhandled errors or timeouts).`,
          fn.fn.metricErrors({ statistic: 'Sum', period: PERIOD }),
        ),
      );
    }

    // The schedule's own clock: no invocation for two periods means no drift scans and no
    // missed-push catch-up. Missing data is the symptom here, so it breaches.
    const interval = props.driftInterval ?? Duration.minutes(5);
    const scanPeriod = Duration.seconds(Math.min(Math.max(interval.toSeconds(), 300), 12 * 3600));
    add('DriftScanNotRunning', {
      alarmDescription: 'The drift scan has not run for two schedule periods: drift and missed pushes go unnoticed. Check the schedule and its role.',
      metric: props.driftScan.fn.metricInvocations({ statistic: 'Sum', period: scanPeriod }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    atLeastOnce(
      'SchedulerDroppedInvocations',
      'EventBridge Scheduler gave up invoking the drift scan (its target failed or was throttled); the message is in the schedule DLQ.',
      new cloudwatch.Metric({
        namespace: 'AWS/Scheduler',
        metricName: 'InvocationDroppedCount',
        dimensionsMap: { ScheduleGroup: props.scheduleGroupName ?? 'default' },
        statistic: 'Sum',
        period: PERIOD,
      }),
    );
    atLeastOnce(
      'DriftUnknown',
      "A drift scan could not tell whether a target drifted (its applied revision is gone from Git, or the cluster could not be read); the target's drift status says why.",
      driftlessMetric('DriftUnknown'),
    );

    // Pushes are not turning into deploys, whichever part broke.
    this.deploysStalled = new cloudwatch.CompositeAlarm(this, 'DeploysNotHappening', {
      alarmDescription:
        'Deploys are not happening: pushes are refused or lost, jobs stall or die, or most syncs fail. The alarm in ALARM among its rules says where.',
      alarmRule: cloudwatch.AlarmRule.anyOf(
        ...[webhookRejected, webhook5xx, stalled, deadLetters, throttles, syncFailures, workerErrors.get('Worker')!].map((alarm) =>
          cloudwatch.AlarmRule.fromAlarm(alarm, cloudwatch.AlarmState.ALARM),
        ),
      ),
    });
    notify(this.deploysStalled);

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
            left: ['p50', 'p90', 'Maximum'].map((statistic) => driftlessMetric('SyncDuration', statistic).with({ label: `SyncDuration ${statistic}` })),
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Drift',
            left: [driftlessMetric('DriftDetected'), driftlessMetric('DriftUnknown')],
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

  // CloudWatch cannot publish to a topic encrypted with the AWS managed key (its policy does not
  // name CloudWatch), and a customer managed key for alarm texts alone would cost more than it
  // protects: the topic is encrypted when Driftless has a key anyway.
  #createTopic(key: kms.IKey | undefined): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Driftless alarms', enforceSSL: true, masterKey: key });
    if (key) {
      // The services that publish, through SNS, encrypt with the key (no effect on an imported key).
      for (const service of ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com']) {
        key.grant(new iam.ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey');
      }
      return topic;
    }
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and thresholds, no secrets; CloudWatch cannot publish to a topic under the AWS managed SNS key; with encryptionKey set, the topic is encrypted with it.',
    });
    return topic;
  }
}
