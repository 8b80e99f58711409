// The CloudWatch alarms a RollingSync step's gate waits on (shared/rollout/alarms.ts): the worker
// reads their state with one DescribeAlarms call for the step's names, metric and composite alarms
// alike. The names come from Git at run time, so no list of alarm ARNs can be written here.
import { Validations } from 'aws-cdk-lib';
import type { DriftlessFunction } from './driftless-function.ts';

/**
 * Grants cloudwatch:DescribeAlarms on `*`. The Service Authorization Reference gives the action
 * the `alarm` resource type, so IAM would take `arn:<partition>:cloudwatch:<region>:<account>:alarm:*`,
 * but CloudWatch returns composite alarms only to a DescribeAlarms permission scoped to `*`
 * (DescribeAlarms in the CloudWatch API reference; aws-cdk #29171 widened appconfig's grant for
 * the same reason). With the narrower ARN a gate on a composite alarm would find it missing and
 * halt the rollout. The action only reads alarm definitions and states; it changes nothing.
 */
export function bindAlarmRead(fn: DriftlessFunction): void {
  fn.allow(['cloudwatch:DescribeAlarms'], ['*']);
  Validations.of(fn.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'cloudwatch:DescribeAlarms (rollout gates): CloudWatch returns composite alarms only to a DescribeAlarms permission on "*", ' +
      'and the alarm names come from Git at run time; the action reads alarm states and changes nothing.',
  });
}
