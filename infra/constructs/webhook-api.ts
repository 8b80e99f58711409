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
  /**
   * Reserved concurrency: the most deliveries handled at once. Anyone can call the URL, so this
   * caps what a flood of (unsigned, refused) requests can take from the account's concurrency
   * and from the table and queue behind it; GitHub's own pushes need a few at a time. The
   * account keeps at least 10 unreserved, so it needs a concurrency quota of this + 10.
   * Default 10 (1 to 1000).
   */
  readonly reservedConcurrency?: number;
  /** Default ARM_64 (no native binaries here, and cheaper per GB-second). */
  readonly architecture?: lambda.Architecture;
}

const DEFAULT_WEBHOOK_CONCURRENCY = 10;

export class WebhookApi extends Construct {
  declare readonly handler: DriftlessFunction;
  declare readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: WebhookApiProps = {}) {
    super(scope, id);
    const reservedConcurrency = props.reservedConcurrency ?? DEFAULT_WEBHOOK_CONCURRENCY;
    if (!Number.isInteger(reservedConcurrency) || reservedConcurrency < 1 || reservedConcurrency > 1000) {
      throw new Error(`webhook reservedConcurrency must be an integer from 1 to 1000, got ${reservedConcurrency}.`);
    }
    this.handler = new DriftlessFunction(this, 'Handler', {
      entry: props.entry ?? 'functions/webhook/handler.ts',
      description: 'Verifies GitHub push webhooks and enqueues sync jobs',
      // GitHub gives up on a delivery after 10 seconds; running longer helps nobody.
      timeout: Duration.seconds(10),
      logRetention: props.logRetention,
      reservedConcurrentExecutions: reservedConcurrency,
      architecture: props.architecture,
    });

    // NONE is deliberate: GitHub cannot sign requests with SigV4, so IAM auth would lock it
    // out. Authentication is the X-Hub-Signature-256 HMAC the handler verifies (with the
    // webhook secret) before it reads anything else, answering 401 when it fails.
    // On the `live` alias, so a rollback moves the webhook too.
    this.url = this.handler.alias.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    new CfnOutput(this, 'Url', {
      value: this.url.url,
      description: 'GitHub webhook payload URL (content type application/json, push events)',
    });
  }
}
