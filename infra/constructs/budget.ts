// What Driftless costs, watched: a monthly AWS Budget on the costs carrying Driftless's
// cost-allocation tag, which e-mails and/or publishes to the alarm topic before the money is
// spent (forecast) and when it is (actual).
import { Aws, Lazy, Stack } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The cost-allocation tag on every Driftless resource; its value names the component. */
export const COMPONENT_TAG = 'driftless:component';

export interface CostBudgetProps {
  /** The month's limit in US dollars. */
  readonly monthlyLimitUsd: number;
  /** Values of COMPONENT_TAG whose costs count against the limit. */
  readonly components: string[];
  /** Told by e-mail. */
  readonly emails?: string[];
  /** Told through this topic (the alarm topic); Budgets is allowed to publish when the topic is this stack's. */
  readonly topic?: sns.ITopic;
}

/** Percent of the limit: the forecast passing it warns early, the actual spend passing these tells it happened. */
const FORECAST_THRESHOLD = 100;
const ACTUAL_THRESHOLDS = [80, 100];

export class CostBudget extends Construct {
  declare readonly budget: budgets.CfnBudget;
  readonly #components: string[] = [];

  constructor(scope: Construct, id: string, props: CostBudgetProps) {
    super(scope, id);
    if (!Number.isFinite(props.monthlyLimitUsd) || props.monthlyLimitUsd <= 0) {
      throw new Error(`monthlyBudgetUsd must be a positive number of dollars, got ${props.monthlyLimitUsd}.`);
    }
    this.#components.push(...props.components);
    const emails = props.emails ?? [];
    if (emails.length === 0 && !props.topic) {
      throw new Error('monthlyBudgetUsd needs someone to tell: give alarmEmail or an alarm topic.');
    }
    for (const email of emails) {
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`budget e-mail "${email}" is not an e-mail address.`);
    }

    if (props.topic) {
      // Budgets publishes as its service principal; only for budgets of this account.
      props.topic.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [props.topic.topicArn],
          conditions: {
            StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
            ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:budgets::${Aws.ACCOUNT_ID}:*` },
          },
        }),
      );
    }
    const subscribers: budgets.CfnBudget.SubscriberProperty[] = [
      ...emails.map((address) => ({ subscriptionType: 'EMAIL', address })),
      ...(props.topic ? [{ subscriptionType: 'SNS', address: props.topic.topicArn }] : []),
    ];
    const notify = (notificationType: 'ACTUAL' | 'FORECASTED', threshold: number) => ({
      notification: { notificationType, comparisonOperator: 'GREATER_THAN', threshold, thresholdType: 'PERCENTAGE' },
      subscribers,
    });

    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: `${Stack.of(this).stackName}-driftless`,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.monthlyLimitUsd, unit: 'USD' },
        // Cost-allocation tags appear in billing data as `user:<key>` once activated (README).
        // Read at synth, so a component added afterwards (the dashboard) counts too.
        costFilters: { TagKeyValue: Lazy.list({ produce: () => this.#components.map((component) => `user:${COMPONENT_TAG}$${component}`) }) },
      },
      notificationsWithSubscribers: [notify('FORECASTED', FORECAST_THRESHOLD), ...ACTUAL_THRESHOLDS.map((threshold) => notify('ACTUAL', threshold))],
    });
  }

  /** Counts the costs tagged with `component` too (a part built beside Driftless, as the dashboard). */
  addComponent(component: string): void {
    if (!this.#components.includes(component)) this.#components.push(component);
  }
}
