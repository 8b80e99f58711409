// GitHub's way in: a function behind a Function URL that verifies, matches and enqueues.
import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DriftlessFunction } from './driftless-function.ts';

export interface WebhookApiProps {
  /** Handler file relative to the repository root. Default `functions/webhook/handler.ts`. */
  readonly entry?: string;
  readonly logRetention?: logs.RetentionDays;
}

export class WebhookApi extends Construct {
  declare readonly handler: DriftlessFunction;
  declare readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: WebhookApiProps = {}) {
    super(scope, id);
    this.handler = new DriftlessFunction(this, 'Handler', {
      entry: props.entry ?? 'functions/webhook/handler.ts',
      description: 'Verifies GitHub push webhooks and enqueues sync jobs',
      // GitHub gives up on a delivery after 10 seconds; running longer helps nobody.
      timeout: Duration.seconds(10),
      logRetention: props.logRetention,
    });

    // NONE is deliberate: GitHub cannot sign requests with SigV4, so IAM auth would lock it
    // out. Authentication is the X-Hub-Signature-256 HMAC the handler verifies (with the
    // webhook secret) before it reads anything else, answering 401 when it fails.
    this.url = this.handler.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    new CfnOutput(this, 'Url', {
      value: this.url.url,
      description: 'GitHub webhook payload URL (content type application/json, push events)',
    });
  }
}
