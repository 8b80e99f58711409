// The dashboard's API: the `api` function behind an API Gateway HTTP API whose one route,
// `/api/{proxy+}`, only answers requests with a valid token from the sign-in issuer. The
// function may read what the fleet view shows and request what the CLI requests, nothing more.
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DriftlessFunction } from './driftless-function.ts';
import { grantKeyUse } from './encryption.ts';
import type { ClusterAccess } from './cluster-access.ts';
import type { GithubConnection } from './github-connection.ts';
import { bindClusterRead } from './dashboard-cluster-read.ts';
import type { RenderCache } from './render-cache.ts';
import type { StateStore } from './state-store.ts';
import type { SyncPipeline } from './sync-pipeline.ts';
import { bindTableKeys, TABLE_KEYS, type TableKeyGrant } from './table-keys.ts';

/**
 * The API's table access: the registry (apps, projects, RBAC policy), every target's state and
 * history in one Scan for the fleet view, and on a target only what an action writes there
 * (a requested sync, suspend / resume, a pinned revision), as the CLI does. The sets' rollout
 * items are read (one Query for the fleet's progress, a GetItem before promote / abort) and
 * replaced whole under their version by promote and abort (shared/state/rollout-state.ts
 * putRollout): PutItem alone, so the API can neither patch nor delete a rollout.
 */
export const DASHBOARD_API_TABLE_KEYS: TableKeyGrant = {
  read: [TABLE_KEYS.registry],
  write: [TABLE_KEYS.target],
  put: [TABLE_KEYS.rollout],
  scan: 'the fleet view reads every target state in one Scan (1,000 rows, one call)',
};

/** Environment variable naming the claim the API reads groups from (`cognito:groups`, `groups` ...). */
export const GROUPS_CLAIM_VARIABLE = 'DASHBOARD_GROUPS_CLAIM';

export interface DashboardApiProps {
  readonly entry?: string;
  readonly stateStore: StateStore;
  readonly syncPipeline: SyncPipeline;
  readonly renderCache: RenderCache;
  readonly clusterAccess: ClusterAccess;
  readonly github: GithubConnection;
  readonly encryptionKey?: kms.IKey;
  readonly logRetention?: logs.RetentionDays;
  readonly architecture?: lambda.Architecture;
  /** Steady requests per second across the API. Default 50. */
  readonly rateLimit?: number;
  /** Default 100. */
  readonly burstLimit?: number;
}

export class DashboardApi extends Construct {
  declare readonly handler: DriftlessFunction;
  declare readonly httpApi: apigwv2.HttpApi;
  declare readonly accessLogs: logs.LogGroup;
  /** `<api id>.execute-api.<region>.<suffix>`: the origin CloudFront forwards `/api/*` to. */
  declare readonly domainName: string;

  constructor(scope: Construct, id: string, props: DashboardApiProps) {
    super(scope, id);
    this.handler = new DriftlessFunction(this, 'Handler', {
      entry: props.entry ?? 'functions/api/handler.ts',
      description: 'Answers the dashboard: fleet, app detail, live tree and diff, and sync / rollback / suspend / resume requests',
      // API Gateway gives up on an integration after 30 seconds.
      timeout: Duration.seconds(29),
      logRetention: props.logRetention,
      architecture: props.architecture,
    });
    const fn = this.handler;
    bindTableKeys(props.stateStore, fn, DASHBOARD_API_TABLE_KEYS);
    // Sync requests, and the `rollout` job promote / abort queue in the set's group: one queue.
    props.syncPipeline.bindSender(fn);
    // The diff compares the live objects with the last applied render.
    props.renderCache.bind(fn, 'read');
    bindClusterRead(props.clusterAccess, fn);
    // Sync and resume record the commit they ask for, as the CLI does: the branch head, read
    // through GitHub's API with the stack's credentials (never the webhook's key).
    props.github.bind(fn);
    grantKeyUse(props.encryptionKey, fn.role);

    // No default stage: ours carries throttling and access logs.
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Driftless dashboard API (reached through the dashboard distribution)',
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        // Who did what, never the token or the e-mail: the subject is enough to look a user up.
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.path',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            sub: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.domainName = `${this.httpApi.apiId}.execute-api.${Aws.REGION}.${Stack.of(this).urlSuffix}`;
  }

  /** The one route, behind the JWT authorizer: added once sign-in (whose client needs the site's URL) exists. */
  addRoutes(issuer: string, audience: string[]): void {
    const authorizer = new HttpJwtAuthorizer('Jwt', issuer, { jwtAudience: audience, identitySource: ['$request.header.Authorization'] });
    this.httpApi.addRoutes({
      path: '/api/{proxy+}',
      methods: [apigwv2.HttpMethod.ANY],
      // On the `live` alias, so a rollback of the function moves the API too.
      integration: new HttpLambdaIntegration('Handler', this.handler.alias),
      authorizer,
    });
  }
}
