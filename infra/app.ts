// What `infra/bin/driftless.ts` builds, as a function so the cdk-nag test checks the very
// same app the CLI synthesizes.
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DriftlessStack, type DriftlessStackProps } from './stack.ts';

export function buildApp(app: App, props: DriftlessStackProps = {}): DriftlessStack {
  // Every AwsSolutions finding is an error that stops the synth unless acknowledged, with a
  // reason, next to the resource it concerns.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return new DriftlessStack(app, app.node.tryGetContext('stackName') ?? 'Driftless', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    ...props,
  });
}
