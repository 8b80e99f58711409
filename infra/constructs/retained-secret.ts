// A secret whose value is put in (or shared) by hand: retained when the stack goes, so a
// deleted stack does not take credentials with it, and with cdk-nag's rotation rule
// (AwsSolutions-SMG4) acknowledged for the reason given, since no rotation Lambda can issue
// the value. The stack's GitHub and webhook secrets share this; so can other hand-filled ones.
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

export function retainedSecret(
  scope: Construct,
  id: string,
  props: Omit<secretsmanager.SecretProps, 'removalPolicy'>,
  notRotatedBecause: string,
): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, id, { ...props, removalPolicy: RemovalPolicy.RETAIN });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: notRotatedBecause });
  return secret;
}
