import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SyncPipeline } from '../../../infra/constructs/sync-pipeline.ts';
import { type Cfn, functionProps, logicalIdOf, resources, STUB_ENTRY, synthStack } from '../support.ts';

const { template } = synthStack();
const jobsQueue = logicalIdOf(template, 'AWS::SQS::Queue', 'SyncJobs');
const deadLetterQueue = logicalIdOf(template, 'AWS::SQS::Queue', 'SyncDeadLetterQueue');
const queueProps = (t: Template, fragment: string) => resources(t)[logicalIdOf(t, 'AWS::SQS::Queue', fragment)].Properties as Record<string, Cfn>;

describe('SyncPipeline', () => {
  it('queues jobs on a FIFO queue that sends failures to a FIFO DLQ after 10 receives', () => {
    expect(queueProps(template, 'SyncJobs')).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      SqsManagedSseEnabled: true,
      MaximumMessageSize: 262144,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue, 'Arn'] }, maxReceiveCount: 10 },
    });
    expect(queueProps(template, 'SyncDeadLetterQueue')).toMatchObject({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      MaximumMessageSize: 262144,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    expect(queueProps(template, 'SyncDeadLetterQueue').RedrivePolicy).toBeUndefined();
  });

  it('keeps a job invisible for at least six times the worker timeout', () => {
    const timeout = functionProps(template, 'SyncWorker').Timeout as number;
    expect(timeout).toBe(300);
    expect(queueProps(template, 'SyncJobs').VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('refuses plain-HTTP access to both queues', () => {
    for (const queue of [jobsQueue, deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  it('feeds the worker one job at a time, so a failure holds back nothing but its own backoff, with bounded concurrency', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [jobsQueue, 'Arn'] },
      // The live alias (test/infra/aliases.test.ts).
      // (the function's name, the ARN's seventh field, qualified with the alias).
      FunctionName: {
        'Fn::Join': ['', [{ 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: logicalIdOf(template, 'AWS::Lambda::Alias', 'SyncWorker') }] }] }, ':live']],
      },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it('runs the worker on x86_64 with the kubectl layer, 5 minutes, 2 GB of memory and of /tmp', () => {
    const layer = logicalIdOf(template, 'AWS::Lambda::LayerVersion', 'KubectlLayer');
    expect(functionProps(template, 'SyncWorker')).toMatchObject({
      Architectures: ['x86_64'],
      Layers: [{ Ref: layer }],
      Timeout: 300,
      MemorySize: 2048,
      EphemeralStorage: { Size: 2048 },
      Environment: { Variables: expect.objectContaining({ MAX_RECEIVE_COUNT: '10' }) },
    });
  });

  it('puts the kubectl layer on the worker only', () => {
    template.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    const withLayers = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([, fn]) => fn.Properties.Layers !== undefined)
      .map(([id]) => id);
    expect(withLayers).toEqual([logicalIdOf(template, 'AWS::Lambda::Function', 'SyncWorker')]);
  });

  it('derives visibility, redrive and concurrency from its props', () => {
    const custom = synthStack({ maxConcurrency: 4 }).template;
    custom.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 4 } });

    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');
    const pipeline = new SyncPipeline(stack, 'Sync', {
      entry: STUB_ENTRY,
      workerTimeout: Duration.minutes(10),
      maxReceiveCount: 3,
    });
    expect(pipeline.maxReceiveCount).toBe(3);
    const t = Template.fromStack(stack);
    expect(queueProps(t, 'SyncJobs')).toMatchObject({ VisibilityTimeout: 3600, RedrivePolicy: { maxReceiveCount: 3 } });
    expect(functionProps(t, 'SyncWorker')).toMatchObject({ Timeout: 600, Environment: { Variables: { MAX_RECEIVE_COUNT: '3' } } });
  });

  it("keeps Lambda's recursive-loop stop on: continuations stay short of it", () => {
    expect(functionProps(template, 'SyncWorker').RecursiveLoop ?? 'Terminate').toBe('Terminate');
  });

  it('rejects settings SQS or Lambda would reject at deploy time', () => {
    const build = (props: ConstructorParameters<typeof SyncPipeline>[2]) => () =>
      new SyncPipeline(new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S'), 'Sync', { entry: STUB_ENTRY, ...props });
    expect(build({ workerTimeout: Duration.minutes(16) })).toThrow(/workerTimeout must be between 3 and 15 minutes/);
    // 30 minutes of continuations in 2-minute hops would pass Lambda's recursive-loop stop (about 16).
    expect(build({ workerTimeout: Duration.minutes(2) })).toThrow(/workerTimeout must be between 3 and 15 minutes.*recursive-loop/);
    expect(build({ maxConcurrency: 1 })).toThrow(/maxConcurrency must be an integer from 2 to 1000/);
    expect(build({ maxReceiveCount: 0 })).toThrow(/maxReceiveCount must be an integer from 1 to 1000/);
  });
});
