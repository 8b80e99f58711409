// The web dashboard in AWS (issue 18): the UI from S3 behind CloudFront, the `api` function
// behind an HTTP API with a JWT authorizer, and sign-in with Cognito or the organisation's IdP.
// Enabled by the `dashboard` context key; without it nothing here is synthesized.
import { CfnOutput, Duration, Tags, type RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { DashboardContext } from '../context.ts';
import type { Driftless } from '../driftless.ts';
import { COMPONENT_TAG } from './budget.ts';
import { DashboardApi, GROUPS_CLAIM_VARIABLE } from './dashboard-api.ts';
import { DashboardSignIn, type DashboardOidcProvider } from './dashboard-sign-in.ts';
import { DashboardSite } from './dashboard-site.ts';

export interface DashboardProps {
  /** The installation whose table, queue, render cache and clusters the API reads. */
  readonly driftless: Driftless;
  /** Sign-in with this OpenID Connect provider instead of a Cognito user pool made here. */
  readonly oidc?: DashboardOidcProvider;
  /** Cognito hosted UI prefix. Default `<stack name>-<account id>`. */
  readonly domainPrefix?: string;
  /** Cognito groups to create (RBAC `g` lines name them). */
  readonly groups?: string[];
  /** A domain of yours and its ACM certificate in us-east-1. Default: the `*.cloudfront.net` name. */
  readonly domainName?: string;
  readonly certificateArn?: string;
  /** A built UI to deploy as it is (a folder with index.html). Default: `npm run build:dashboard` at synth. */
  readonly assetsDir?: string;
  /** Handler file of the api function. Default `functions/api/handler.ts`. */
  readonly entry?: string;
  readonly rateLimit?: number;
  readonly burstLimit?: number;
  readonly logRetention?: logs.RetentionDays;
  /** Default ARM_64. */
  readonly architecture?: lambda.Architecture;
  /** The user pool and the access logs: RETAIN unless DESTROY. */
  readonly removalPolicy?: RemovalPolicy;
  /** Extra environment for the api function, as for the others. */
  readonly functionEnvironment?: Record<string, string>;
}

export class Dashboard extends Construct {
  declare readonly api: DashboardApi;
  declare readonly site: DashboardSite;
  declare readonly signIn: DashboardSignIn;
  declare readonly serverErrors: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const driftless = props.driftless;
    // Built in this order because each needs the one before: the distribution forwards to the
    // API, the sign-in client sends users back to the distribution's URL, the authorizer checks
    // the client's tokens.
    this.api = new DashboardApi(this, 'Api', {
      entry: props.entry,
      stateStore: driftless.stateStore,
      syncPipeline: driftless.syncPipeline,
      renderCache: driftless.renderCache,
      clusterAccess: driftless.clusterAccess,
      github: driftless.github,
      encryptionKey: driftless.encryptionKey,
      logRetention: props.logRetention,
      architecture: props.architecture,
      rateLimit: props.rateLimit,
      burstLimit: props.burstLimit,
    });
    this.site = new DashboardSite(this, 'Site', {
      apiDomainName: this.api.domainName,
      assetsDir: props.assetsDir,
      domainName: props.domainName,
      certificateArn: props.certificateArn,
      removalPolicy: props.removalPolicy,
      logRetention: props.logRetention,
    });
    // Check runs and deployments link each target to its page here (shared/github/check-runs.ts).
    driftless.syncPipeline.worker.addEnvironment('DASHBOARD_URL', this.site.url);
    this.signIn = new DashboardSignIn(this, 'SignIn', {
      siteUrl: this.site.url,
      oidc: props.oidc,
      domainPrefix: props.domainPrefix,
      groups: props.groups,
      removalPolicy: props.removalPolicy,
    });
    this.api.addRoutes(this.signIn.issuer, this.signIn.audience);
    this.api.handler.addEnvironment(GROUPS_CLAIM_VARIABLE, this.signIn.groupsClaim);
    if (props.functionEnvironment) this.api.handler.addExtraEnvironment(props.functionEnvironment);
    // config.json: what the UI needs to sign in, read at run time (README "Dashboard in AWS").
    this.site.deploy({ ...this.signIn.settings, groupsClaim: this.signIn.groupsClaim, signInRequired: true });

    // 5xx covers the function's failures (502), its timeouts (504) and API Gateway's own; a 4xx
    // (no token, RBAC refused) is the caller's. To the stack's alarm topic, as the other alarms.
    this.serverErrors = new cloudwatch.Alarm(this, 'ApiServerErrors', {
      alarmDescription: "The dashboard's API answered 5xx (the api function failed or timed out): read the api function's logs.",
      metric: this.api.httpApi.metricServerError({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.serverErrors.addAlarmAction(new actions.SnsAction(driftless.monitoring.alarmTopic));
    this.serverErrors.addOkAction(new actions.SnsAction(driftless.monitoring.alarmTopic));

    Tags.of(this).add(COMPONENT_TAG, 'dashboard');
    driftless.budget?.addComponent('dashboard');

    // Named outright (no hash suffix), as the stack's own outputs: scripts and the README use the names.
    output(this, 'DashboardUrl', `${this.site.url}/`, 'The Driftless dashboard');
    const { userPool, userPoolClient } = this.signIn;
    if (userPool && userPoolClient) {
      output(this, 'DashboardUserPoolId', userPool.userPoolId, 'Cognito user pool of the dashboard: invite users with `aws cognito-idp admin-create-user`');
      output(this, 'DashboardUserPoolClientId', userPoolClient.userPoolClientId, "The dashboard's Cognito app client (public, PKCE)");
    }
  }
}

function output(scope: Construct, name: string, value: string, description: string): void {
  new CfnOutput(scope, name, { value, description }).overrideLogicalId(name);
}

/** The construct's props from the `dashboard` context key (infra/context.ts checked it). */
export function dashboardProps(context: DashboardContext): Omit<DashboardProps, 'driftless'> {
  const { oidc, ...rest } = context;
  return {
    ...rest,
    oidc: oidc && { ...oidc, audience: typeof oidc.audience === 'string' ? [oidc.audience] : oidc.audience },
  };
}
