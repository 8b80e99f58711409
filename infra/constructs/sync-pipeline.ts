// The sync jobs queue and the worker that drains it: one FIFO group per app@cluster, so a
// target's jobs run in order and never two at once, while different targets run in parallel.
import { Duration, Size, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { Construct } from 'constructs';
import { DriftlessFunction } from './driftless-function.ts';
import type { WorkerNetwork } from './network.ts';

export interface SyncPipelineProps {
  /** Handler file relative to the repository root. Default `functions/sync-worker/handler.ts`. */
  readonly entry?: string;
  /**
   * Default 5 minutes; 3 to 15. Longer syncs continue in a new message. Short enough that a
   * timed-out job comes back within half an hour (visibility is 6 × this), long enough that a
   * continued sync stays well under Lambda's recursive-loop stop (about 16 hops): the app's
   * sync time (30 minutes) allows at most 10 continuations of 3 minutes.
   */
  readonly workerTimeout?: Duration;
  /** Worker memory in MB; CPU scales with it, and rendering Helm charts wants CPU. Default 2048. */
  readonly workerMemory?: number;
  /**
   * Jobs per worker invocation, 1 to 10 (SQS FIFO's maximum). Default 1 (WORKER_BATCH_SIZE).
   * The worker runs a batch's message groups (targets) at once and each group's jobs in turn,
   * so jobs at once = maxConcurrency × workerBatchSize, and one invocation lasts as long as its
   * longest group within `workerTimeout`.
   */
  readonly workerBatchSize?: number;
  /** Concurrent worker invocations at most, across all targets. Default 10 (2 to 1000). */
  readonly maxConcurrency?: number;
  /**
   * Deliveries of a job before it goes to the DLQ. Default 10: with the worker's backoff
   * (15 s doubling to 15 minutes) the retries span over an hour, enough to ride out an outage.
   */
  readonly maxReceiveCount?: number;
  readonly logRetention?: logs.RetentionDays;
  /** The worker's VPC placement and proxy environment, for private clusters (WorkerNetwork). */
  readonly workerNetwork?: WorkerNetwork;
  /** A customer managed key for the jobs queue and its DLQ. Default: SQS managed keys. */
  readonly encryptionKey?: kms.IKey;
}

/** AWS's advice for SQS-triggered functions: visibility ≥ 6 × timeout, so retries after throttles do not re-deliver in-flight jobs. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Sync jobs name a target and a revision, never manifests: 256 KiB is far more than one needs. */
export const MAX_MESSAGE_SIZE_BYTES = 256 * 1024;
/**
 * One job per invocation by default. A batch runs its groups at once and shares an
 * invocation's GB-seconds among jobs that mostly wait, but a timeout or out-of-memory strands
 * every record of the batch until the visibility timeout, and the records skipped behind a
 * failed one of their group are counted as received each time (their group's failures can take
 * them to the DLQ). The worker makes skipped records visible again at once, so the failed
 * one's backoff holds its group rather than the visibility timeout; that call is lost exactly
 * when the function dies, so it does not cover the timeout case. And jobs at once are
 * maxConcurrency × batch: the default keeps today's 10, within GitHub's secondary limits.
 */
const WORKER_BATCH_SIZE = 1;
const DEFAULT_WORKER_TIMEOUT = Duration.minutes(5);
/** Below this, a continued sync could reach Lambda's recursive-loop stop (about 16 hops). */
const MIN_WORKER_TIMEOUT = Duration.minutes(3);
export const DEFAULT_MAX_RECEIVE_COUNT = 10;

export class SyncPipeline extends Construct {
  declare readonly queue: sqs.Queue;
  declare readonly deadLetterQueue: sqs.Queue;
  declare readonly worker: DriftlessFunction;
  declare readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: SyncPipelineProps = {}) {
    super(scope, id);
    const timeout = props.workerTimeout ?? DEFAULT_WORKER_TIMEOUT;
    if (timeout.toSeconds() < MIN_WORKER_TIMEOUT.toSeconds() || timeout.toSeconds() > 900) {
      throw new Error(
        `workerTimeout must be between 3 and 15 minutes (shorter ones let a continued sync reach Lambda's recursive-loop stop), got ${timeout.toHumanString()}.`,
      );
    }
    const maxConcurrency = props.maxConcurrency ?? 10;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
      throw new Error(`maxConcurrency must be an integer from 2 to 1000 (the SQS event source's range), got ${maxConcurrency}.`);
    }
    const memorySize = props.workerMemory ?? 2048;
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) {
      throw new Error(`workerMemory must be an integer number of MB from 128 to 10240 (Lambda's range), got ${memorySize}.`);
    }
    const batchSize = props.workerBatchSize ?? WORKER_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
      throw new Error(`workerBatchSize must be an integer from 1 to 10 (SQS FIFO's batch limit), got ${batchSize}.`);
    }
    this.maxReceiveCount = props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    if (!Number.isInteger(this.maxReceiveCount) || this.maxReceiveCount < 1 || this.maxReceiveCount > 1000) {
      throw new Error(`maxReceiveCount must be an integer from 1 to 1000, got ${this.maxReceiveCount}.`);
    }

    const encryption = queueEncryption(props.encryptionKey);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      fifo: true,
      ...encryption,
      enforceSSL: true,
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
      // SQS's maximum: time for someone to read the alarm, fix the cause and redrive.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the sync jobs queue; a DLQ of a DLQ would hide failed jobs further.',
    });

    this.queue = new sqs.Queue(this, 'Jobs', {
      fifo: true,
      // Our senders set MessageDeduplicationId (app@cluster@sha); content-based is the
      // fallback for a sender that does not, instead of a rejected send.
      contentBasedDeduplication: true,
      // High-throughput FIFO: the limit applies per target, not to the whole fleet.
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      ...encryption,
      enforceSSL: true,
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });

    this.worker = new DriftlessFunction(this, 'Worker', {
      entry: props.entry ?? 'functions/sync-worker/handler.ts',
      description: 'Renders an app at a commit and server-side-applies it to one cluster, or scans it there for drift',
      // kubectl and helm in the layer are linux x86-64 binaries.
      architecture: lambda.Architecture.X86_64,
      timeout,
      memorySize,
      // Source tarballs and extracted trees live in /tmp while rendering.
      ephemeralStorageSize: Size.mebibytes(2048),
      layers: [new KubectlV34Layer(this, 'KubectlLayer')],
      logRetention: props.logRetention,
      environment: { MAX_RECEIVE_COUNT: String(this.maxReceiveCount), ...props.workerNetwork?.environment },
      vpc: props.workerNetwork?.vpc,
      vpcSubnets: props.workerNetwork?.subnets,
      securityGroups: props.workerNetwork?.securityGroups,
    });

    // Through the alias: the version that takes jobs is the one `live` names.
    this.worker.alias.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize,
        reportBatchItemFailures: true,
        // Bounds the fleet's load on clusters and GitHub. Preferred over reserved concurrency,
        // which would take capacity from the account while idle and, when it throttles,
        // count receives towards the DLQ.
        maxConcurrency,
      }),
    );
    this.bindSender(this.worker);
  }

  /** Grants sqs:SendMessage (which also covers SendMessageBatch) on the jobs queue and sets SYNC_QUEUE_URL. */
  bindSender(fn: DriftlessFunction): void {
    fn.allow(['sqs:SendMessage'], [this.queue.queueArn]);
    fn.addEnvironment('SYNC_QUEUE_URL', this.queue.queueUrl);
  }
}

/** SQS managed keys, or the customer managed key (kept 5 minutes per data key, SQS's default). */
export function queueEncryption(key: kms.IKey | undefined): Pick<sqs.QueueProps, 'encryption' | 'encryptionMasterKey'> {
  return key ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key } : { encryption: sqs.QueueEncryption.SQS_MANAGED };
}
