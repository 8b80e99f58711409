// The clock of drift detection and missed-push recovery: a schedule invokes the drift-scan
// function, which only plans: it reaches no cluster, it puts one drift-scan job per target
// (and a sync per missed push) on the sync queue, and the sync workers do the scanning.
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DriftlessFunction } from './driftless-function.ts';
import { grantKeyUse } from './encryption.ts';
import { queueEncryption } from './sync-pipeline.ts';

export interface DriftScannerProps {
  /** Handler file relative to the repository root. Default `functions/drift-scan/handler.ts`. */
  readonly entry?: string;
  /** Default 5 minutes; whole minutes, at least one. */
  readonly schedule?: Duration;
  readonly logRetention?: logs.RetentionDays;
  /** Default ARM_64 (no native binaries here, and cheaper per GB-second). */
  readonly architecture?: lambda.Architecture;
  /** A customer managed key for the schedule's DLQ. Default: SQS managed keys. */
  readonly encryptionKey?: kms.IKey;
}

/** `rate(...)` for EventBridge Scheduler, which wants whole minutes, hours or days and a singular unit for 1. */
export function rateExpression(interval: Duration): string {
  const minutes = interval.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new Error(`driftSchedule must be a whole number of minutes, at least 1, got ${interval.toHumanString()}.`);
  }
  if (minutes % 1440 === 0) return plural(minutes / 1440, 'day');
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}

function plural(count: number, unit: string): string {
  return `rate(${count} ${count === 1 ? unit : `${unit}s`})`;
}

export class DriftScanner extends Construct {
  declare readonly handler: DriftlessFunction;
  declare readonly schedule: scheduler.CfnSchedule;
  declare readonly schedulerRole: iam.Role;
  /** Where Scheduler puts an invocation it could not deliver (the on-failure destination). */
  declare readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DriftScannerProps = {}) {
    super(scope, id);
    const interval = props.schedule ?? Duration.minutes(5);
    const expression = rateExpression(interval);

    this.handler = new DriftlessFunction(this, 'Handler', {
      entry: props.entry ?? 'functions/drift-scan/handler.ts',
      description: 'On a schedule, enqueues a drift-scan job per target and syncs for missed pushes',
      // A run ends before the next tick starts another: a minute short of the period, capped at
      // 5 minutes because fleet-wide work is fanned out through the queue, not done here.
      timeout: Duration.minutes(Math.min(5, Math.max(1, interval.toMinutes() - 1))),
      logRetention: props.logRetention,
      environment: { DRIFT_INTERVAL_SECONDS: String(interval.toSeconds()) },
      architecture: props.architecture,
    });

    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Confused-deputy guard: only schedules of this account may use the role.
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets the Driftless drift schedule invoke the drift-scan function, nothing else',
    });
    this.schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.handler.alias.functionArn] }));

    this.deadLetterQueue = new sqs.Queue(this, 'ScheduleDeadLetterQueue', {
      ...queueEncryption(props.encryptionKey),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is the dead-letter queue of the drift schedule's target; a DLQ of a DLQ would hide dropped runs further.",
    });
    this.schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }));
    grantKeyUse(props.encryptionKey, this.schedulerRole);

    // Scheduler invokes asynchronously: Lambda's own retries (2 by default) would run a failed
    // scan again beside the next tick, so none; a run that fails is kept in the same DLQ.
    this.handler.alias.configureAsyncInvoke({ retryAttempts: 0, onFailure: this.#deadLetterDestination(props.encryptionKey) });

    this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      description: 'Driftless drift scan and missed-push check',
      scheduleExpression: expression,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        // The `live` alias, so a rollback moves the schedule too.
        arn: this.handler.alias.functionArn,
        roleArn: this.schedulerRole.roleArn,
        // A missed tick is made good by the next one; retrying would only overlap it.
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
        // A run Scheduler could not deliver is kept, and counted (InvocationDroppedCount alarms).
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      },
    });
  }

  // CDK's SqsDestination grants the whole send side (GetQueueUrl, GetQueueAttributes, and
  // ReEncrypt* and GenerateDataKey* on a key); Lambda needs sqs:SendMessage, and the key's use.
  #deadLetterDestination(key: kms.IKey | undefined): lambda.IDestination {
    const queue = this.deadLetterQueue;
    return {
      bind: (_scope, fn) => {
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
        if (fn.role) grantKeyUse(key, fn.role);
        return { destination: queue.queueArn };
      },
    };
  }
}
