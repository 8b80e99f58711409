// Cost, told true: cost-allocation tags on every resource that takes tags, and an optional
// monthly budget on exactly those costs that tells someone before and when it is spent.
import { describe, expect, it } from 'vitest';
import { type Cfn, render, resources, synthStack } from '../support.ts';

const TAG = 'driftless:component';
const tagOf = (props: Cfn): string | undefined => {
  const tags = props?.Tags;
  if (Array.isArray(tags)) return tags.find((tag: Cfn) => tag.Key === TAG)?.Value;
  return tags?.[TAG]; // some resource types take Tags as a map
};

describe('cost allocation and budget', () => {
  it('tags each resource with the component it belongs to', () => {
    const { template } = synthStack();
    const byType = (type: string) =>
      Object.entries(resources(template))
        .filter(([, resource]) => resource.Type === type)
        .map(([id, resource]) => [id.replace(/[0-9A-F]{8}$/, ''), tagOf(resource.Properties)]);
    expect(Object.fromEntries(byType('AWS::Lambda::Function'))).toEqual({
      DriftlessWebhookHandlerFunction: 'webhook',
      DriftlessSyncWorkerFunction: 'sync',
      DriftlessDriftScanHandlerFunction: 'drift-scan',
    });
    expect(byType('AWS::DynamoDB::Table').map(([, tag]) => tag)).toEqual(['state']);
    expect(byType('AWS::S3::Bucket').map(([, tag]) => tag)).toEqual(['render-cache']);
    expect(Object.fromEntries(byType('AWS::SQS::Queue'))).toEqual({
      DriftlessSyncDeadLetterQueue: 'sync',
      DriftlessSyncJobs: 'sync',
      DriftlessDriftScanScheduleDeadLetterQueue: 'drift-scan',
    });
    // The two secrets the stack creates beside the construct.
    expect(Object.fromEntries(byType('AWS::SecretsManager::Secret').filter(([id]) => /^(GitHub|Webhook)Secret$/.test(String(id))))).toEqual({
      GitHubSecret: 'github',
      WebhookSecret: 'github',
    });
    expect(byType('AWS::EKS::AccessEntry').map(([, tag]) => tag)).toEqual(['cluster-access']);
  });

  it('leaves every taggable Driftless resource tagged', () => {
    const { template } = synthStack({
      vpc: {
        vpcId: 'vpc-0a1b2c3d4e5f60718',
        subnets: [{ subnetId: 'subnet-0aaaaaaaaaaaaaaa1', availabilityZone: 'eu-west-1a', routeTableId: 'rtb-0aaaaaaaaaaaaaaa1' }],
        createEndpoints: true,
      },
    });
    const untagged = Object.entries(resources(template))
      .filter(([, resource]) => resource.Properties && 'Tags' in resource.Properties && tagOf(resource.Properties) === undefined)
      .map(([id]) => id);
    expect(untagged).toEqual([]);
    // Taggable kinds really are tagged (Tags present at all).
    const tagged = Object.values(resources(template))
      .filter((resource) => tagOf(resource.Properties) !== undefined)
      .map((r) => r.Type);
    expect(tagged).toEqual(expect.arrayContaining(['AWS::IAM::Role', 'AWS::Logs::LogGroup', 'AWS::EC2::SecurityGroup', 'AWS::CloudWatch::Alarm']));
  });

  it('creates no budget unless asked', () => {
    expect(Object.values(resources(synthStack().template)).filter((r) => r.Type === 'AWS::Budgets::Budget')).toEqual([]);
  });

  it('budgets the tagged costs monthly and tells the e-mail and the alarm topic at the forecast and at 80 % and 100 % spent', () => {
    const { template } = synthStack({ monthlyBudgetUsd: 25, alarmEmail: 'ops@example.com' });
    const budgets = Object.values(resources(template)).filter((r) => r.Type === 'AWS::Budgets::Budget');
    expect(budgets).toHaveLength(1);
    const props = budgets[0].Properties as Cfn;
    expect(props.Budget).toMatchObject({ BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 25, Unit: 'USD' } });
    expect(props.Budget.CostFilters.TagKeyValue.sort()).toEqual(
      ['cluster-access', 'drift-scan', 'events', 'github', 'monitoring', 'render-cache', 'state', 'sync', 'webhook'].map(
        (component) => `user:driftless:component$${component}`,
      ),
    );
    const notifications = (props.NotificationsWithSubscribers as Cfn[]).map((entry) => [
      entry.Notification.NotificationType,
      entry.Notification.Threshold,
      entry.Notification.ThresholdType,
      entry.Subscribers.map((subscriber: Cfn) => `${subscriber.SubscriptionType} ${render(subscriber.Address)}`),
    ]);
    const topic = Object.entries(resources(template)).find(([, r]) => r.Type === 'AWS::SNS::Topic')![0];
    const to = ['EMAIL ops@example.com', `SNS <${topic}>`];
    expect(notifications).toEqual([
      ['FORECASTED', 100, 'PERCENTAGE', to],
      ['ACTUAL', 80, 'PERCENTAGE', to],
      ['ACTUAL', 100, 'PERCENTAGE', to],
    ]);
  });

  it("lets AWS Budgets publish to the alarm topic, for this account's budgets only", () => {
    const { template } = synthStack({ monthlyBudgetUsd: 25 });
    const policies = Object.values(resources(template)).filter((r) => r.Type === 'AWS::SNS::TopicPolicy');
    const statements = policies.flatMap((policy) => (policy.Properties as Cfn).PolicyDocument.Statement as Cfn[]);
    const budgets = statements.filter((statement) => statement.Principal?.Service === 'budgets.amazonaws.com');
    expect(budgets).toHaveLength(1);
    expect(budgets[0].Effect).toBe('Allow');
    expect(budgets[0].Action).toBe('sns:Publish');
    expect(render(budgets[0].Condition.StringEquals['aws:SourceAccount'])).toBe('<AWS::AccountId>');
    expect(render(budgets[0].Condition.ArnLike['aws:SourceArn'])).toBe('arn:<AWS::Partition>:budgets::<AWS::AccountId>:*');
  });

  it('refuses a limit that is not a positive number of dollars', () => {
    expect(() => synthStack({ monthlyBudgetUsd: 0 })).toThrow(/monthlyBudgetUsd must be a positive number of dollars, got 0/);
  });
});
