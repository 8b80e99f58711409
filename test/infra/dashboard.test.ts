// The dashboard in AWS (issue 18 item 4), read off the synthesized template: a private bucket
// behind CloudFront with Origin Access Control, `/api/*` routed to an HTTP API whose one route
// needs a token of the sign-in issuer, and an api function with read access and the writes its
// actions need. Managed policy ids are AWS's published ones (CloudFront developer guide).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readDriftlessContext } from '../../infra/context.ts';
import { DriftlessStack } from '../../infra/stack.ts';
import { builtAssets, DASHBOARD_ENTRIES, synthDashboard, tempDir } from './dashboard-support.ts';
import { iamStatements, logicalIdOf, permissionsOf, render, resources, synthStack, type Cfn } from './support.ts';

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const OKTA = { issuer: 'https://acme.okta.com/oauth2/default', audience: 'api://driftless', clientId: '0oa1b2c3d4', groupsClaim: 'groups' };
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab';

const only = (template: Cfn, type: string): Cfn => {
  const found = Object.values(template.findResources(type)) as Cfn[];
  expect(found, type).toHaveLength(1);
  return found[0].Properties;
};

describe('dashboard: nothing without the context key', () => {
  it('synthesizes no bucket, distribution, API, user pool or api function of it', () => {
    const { template } = synthStack();
    const types = Object.values(resources(template)).map((resource) => resource.Type);
    for (const type of ['AWS::CloudFront::Distribution', 'AWS::ApiGatewayV2::Api', 'AWS::Cognito::UserPool', 'Custom::CDKBucketDeployment']) {
      expect(types, type).not.toContain(type);
    }
    expect(Object.keys(resources(template)).filter((id) => id.startsWith('Dashboard'))).toEqual([]);
    // The render cache stays the one bucket.
    expect(types.filter((type) => type === 'AWS::S3::Bucket')).toHaveLength(1);
  });

  it('reads `false` and an absent key as no dashboard, `true` as the defaults', () => {
    const read = (dashboard: unknown) =>
      readDriftlessContext(new App({ context: { configRepoUrl: 'https://github.com/acme/config', clusters: '[]', dashboard } }).node).dashboard;
    expect(read(undefined)).toBeUndefined();
    expect(read('false')).toBeUndefined();
    expect(read(true)).toEqual({});
    expect(read('true')).toEqual({});
    expect(read('{"oidc":{"issuer":"https://login.example.com","audience":"x"}}')).toEqual({ oidc: { issuer: 'https://login.example.com', audience: 'x' } });
  });

  it('fails the synth naming a misspelt or invalid key', () => {
    const read = (dashboard: unknown) => () =>
      readDriftlessContext(new App({ context: { configRepoUrl: 'https://github.com/acme/config', clusters: '[]', dashboard } }).node);
    expect(read({ odic: {} })).toThrow(/dashboard: Unrecognized key: "odic"/);
    expect(read({ oidc: { issuer: 'https://x.example.com', audiences: ['a'] } })).toThrow(/dashboard\.oidc: Unrecognized key: "audiences"/);
    expect(read({ oidc: { issuer: 'http://x.example.com', audience: 'a' } })).toThrow(/dashboard\.oidc\.issuer: an https URL/);
    expect(read({ domainName: 'gitops.example.com' })).toThrow(/dashboard\.certificateArn: domainName and certificateArn go together/);
    expect(read({ domainPrefix: 'my-cognito-login' })).toThrow(/dashboard\.domainPrefix: may not contain/);
    expect(read({ certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-1'), domainName: 'a.example.com' })).toThrow(/in us-east-1/);
    expect(read({ oidc: OKTA, groups: ['admins'] })).toThrow(/dashboard\.oidc: domainPrefix and groups configure the Cognito user pool/);
  });

  it('refuses an assetsDir without a built UI, saying which folder to give', () => {
    const empty = tempDir('driftless-no-build-');
    expect(() => synthDashboard({ assetsDir: empty })).toThrow(/dashboard\.assetsDir: no built UI at .*index\.html is missing.*npm run build:dashboard/s);
  });

  it('builds the UI at synth when no assetsDir is given (skipped, as function bundling is, where bundling is off)', () => {
    const { template } = synthDashboard(true);
    const deployment = only(template, 'Custom::CDKBucketDeployment');
    expect(deployment.SourceObjectKeys).toHaveLength(2);
  });
});

describe('dashboard: static assets', () => {
  const { template } = synthDashboard({});
  const bucketId = logicalIdOf(template, 'AWS::S3::Bucket', 'DashboardSiteAssets');
  const distributionId = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'DashboardSite');
  const config = (): Cfn => only(template, 'AWS::CloudFront::Distribution').DistributionConfig;

  it('keeps the bucket private and encrypted, reachable over TLS only', () => {
    const bucket = resources(template)[bucketId].Properties as Cfn;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
    expect(bucket.WebsiteConfiguration).toBeUndefined();
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p: Cfn) => render(p.Properties.Bucket) === `<${bucketId}>`) as Cfn;
    const statements = policy.Properties.PolicyDocument.Statement as Cfn[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    // The one reader: CloudFront, on behalf of this distribution alone (OAC's bucket policy).
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0].Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(allows[0].Action).toBe('s3:GetObject');
    expect(render(allows[0].Condition.StringEquals['AWS:SourceArn'])).toBe(
      `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distributionId}>`,
    );
  });

  it('serves it through Origin Access Control, signing every request, with no legacy origin access identity', () => {
    const oac = only(template, 'AWS::CloudFront::OriginAccessControl').OriginAccessControlConfig;
    expect(oac).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const s3Origin = config().Origins.find((origin: Cfn) => render(origin.DomainName) === `<${bucketId}.RegionalDomainName>`);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(template.findResources('AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual({});
  });

  it('answers / with index.html and UI routes with index.html, files as they are, and no custom error pages that would hide the API’s 403 and 404', () => {
    expect(config().DefaultRootObject).toBe('index.html');
    expect(config().CustomErrorResponses).toBeUndefined();
    const association = config().DefaultCacheBehavior.FunctionAssociations;
    expect(association).toHaveLength(1);
    expect(association[0].EventType).toBe('viewer-request');
    const fn = only(template, 'AWS::CloudFront::Function');
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    // The function's own code, run on CloudFront's viewer-request event shape.
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (event: Cfn) => { uri: string };
    const uri = (path: string) => handler({ request: { uri: path, method: 'GET', headers: {} } }).uri;
    expect(uri('/')).toBe('/index.html');
    expect(uri('/apps/shop')).toBe('/index.html');
    expect(uri('/assets/index-3f2a.js')).toBe('/assets/index-3f2a.js');
    expect(uri('/config.json')).toBe('/config.json');
  });

  it('routes /api/* to the HTTP API, uncached, forwarding the viewer’s headers (Authorization) but not Host', () => {
    const apiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', 'DashboardApi');
    const [behavior] = config().CacheBehaviors;
    expect(config().CacheBehaviors).toHaveLength(1);
    expect(behavior.PathPattern).toBe('api/*');
    expect(behavior.CachePolicyId).toBe(CACHING_DISABLED);
    expect(behavior.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    expect(behavior.ViewerProtocolPolicy).toBe('https-only');
    expect([...behavior.AllowedMethods].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    const origin = config().Origins.find((candidate: Cfn) => candidate.Id === behavior.TargetOriginId);
    expect(render(origin.DomainName)).toBe(`<${apiId}>.execute-api.<AWS::Region>.<AWS::URLSuffix>`);
    expect(origin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    // The assets are cached; HTTPS always.
    expect(config().DefaultCacheBehavior.CachePolicyId).toBe(CACHING_OPTIMIZED);
    expect(config().DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });

  it('sends security headers on the assets and the API answers', () => {
    const policyId = logicalIdOf(template, 'AWS::CloudFront::ResponseHeadersPolicy', 'DashboardSiteSecurityHeaders');
    expect(render(config().DefaultCacheBehavior.ResponseHeadersPolicyId)).toBe(`<${policyId}>`);
    expect(render(config().CacheBehaviors[0].ResponseHeadersPolicyId)).toBe(`<${policyId}>`);
    const headers = only(template, 'AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true });
    expect(headers.ContentTypeOptions).toBeDefined();
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
    expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).toMatch(/default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/);
  });

  it('logs viewer requests into a log bucket of its own', () => {
    const logBucket = logicalIdOf(template, 'AWS::S3::Bucket', 'DashboardSiteAccessLogs');
    expect(render(config().Logging.Bucket)).toBe(`<${logBucket}.RegionalDomainName>`);
    const bucket = resources(template)[logBucket].Properties as Cfn;
    expect(bucket.PublicAccessBlockConfiguration.BlockPublicPolicy).toBe(true);
    // CloudFront's standard logs are written with an ACL.
    expect(bucket.OwnershipControls.Rules[0].ObjectOwnership).toBe('BucketOwnerPreferred');
  });

  it('uses the default certificate without a domain, and TLS 1.2 (2021 policy) with one', () => {
    expect(config().ViewerCertificate).toBeUndefined();
    const withDomain = synthDashboard({ domainName: 'gitops.acme.example', certificateArn: CERTIFICATE }).template;
    const own = only(withDomain, 'AWS::CloudFront::Distribution').DistributionConfig;
    expect(own.Aliases).toEqual(['gitops.acme.example']);
    expect(own.ViewerCertificate).toEqual({ AcmCertificateArn: CERTIFICATE, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    // Cognito sends users back to that domain.
    expect(only(withDomain, 'AWS::Cognito::UserPoolClient').CallbackURLs).toEqual(['https://gitops.acme.example/']);
  });

  it('deploys the built folder and config.json into the bucket, pruning old files and invalidating the cache', () => {
    const deployment = only(template, 'Custom::CDKBucketDeployment');
    expect(render(deployment.DestinationBucketName)).toBe(`<${bucketId}>`);
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    expect(deployment.Prune).toBe(true);
    expect(render(deployment.DistributionId)).toBe(`<${distributionId}>`);
    expect(deployment.DistributionPaths).toEqual(['/*']);
  });
});

/** config.json as deployed: the staged file with the deploy-time values put back in place of their markers. */
function deployedConfig(synth: ReturnType<typeof synthDashboard>): Record<string, Cfn> {
  synth.app.synth();
  const deployment = only(synth.template, 'Custom::CDKBucketDeployment');
  const index = (deployment.SourceObjectKeys as string[]).findIndex((_key, i) =>
    existsSync(join(synth.outdir, `asset.${deployment.SourceObjectKeys[i].replace(/\.zip$/, '')}`, 'config.json')),
  );
  expect(index, 'a source holding config.json').toBeGreaterThanOrEqual(0);
  let text = readFileSync(join(synth.outdir, `asset.${deployment.SourceObjectKeys[index].replace(/\.zip$/, '')}`, 'config.json'), 'utf8');
  for (const [marker, value] of Object.entries(deployment.SourceMarkers[index] as Record<string, unknown>)) text = text.split(marker).join(render(value));
  return JSON.parse(text) as Record<string, Cfn>;
}

describe('dashboard: sign-in with the Cognito user pool (default)', () => {
  const synth = synthDashboard({ groups: ['platform-admins', 'developers'] });
  const { template } = synth;
  const poolId = logicalIdOf(template, 'AWS::Cognito::UserPool', 'DashboardSignIn');
  const clientId = logicalIdOf(template, 'AWS::Cognito::UserPoolClient', 'DashboardSignIn');
  const domainId = logicalIdOf(template, 'AWS::Cognito::UserPoolDomain', 'DashboardSignIn');
  const distributionId = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'DashboardSite');

  it('lets only invited users in, with a strong password and a required authenticator app', () => {
    const pool = only(template, 'AWS::Cognito::UserPool');
    expect(pool.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.MfaConfiguration).toBe('ON');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.Policies.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
  });

  it('has a public app client for the authorization code flow back to the dashboard, and a hosted UI domain', () => {
    const client = only(template, 'AWS::Cognito::UserPoolClient');
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthScopes).toEqual(['openid', 'profile', 'email']);
    expect(client.CallbackURLs.map(render)).toEqual([`https://<${distributionId}.DomainName>/`]);
    expect(client.ExplicitAuthFlows).toBeUndefined();
    expect(render(only(template, 'AWS::Cognito::UserPoolDomain').Domain)).toBe('driftless-<AWS::AccountId>');
  });

  it('takes a given hosted UI prefix, and refuses a stack name Cognito would refuse as one', () => {
    expect(render(only(synthDashboard({ domainPrefix: 'acme-gitops' }).template, 'AWS::Cognito::UserPoolDomain').Domain)).toBe('acme-gitops');
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const build = () =>
      new DriftlessStack(app, 'AwsDriftless', {
        settings: { configRepoUrl: 'https://github.com/acme/config', clusters: [], dashboard: { assetsDir: builtAssets() } },
        entries: DASHBOARD_ENTRIES,
      });
    expect(build).toThrow(/stack name "AwsDriftless" contains a word Cognito reserves .*set dashboard\.domainPrefix/);
  });

  it('creates the groups RBAC names (cognito:groups)', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((group: Cfn) => group.Properties.GroupName);
    expect(groups.sort()).toEqual(['developers', 'platform-admins']);
  });

  it('authorizes /api/{proxy+} with a JWT authorizer for the pool’s issuer and the client as audience, and has no other route', () => {
    const authorizer = only(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.AuthorizerType).toBe('JWT');
    expect(authorizer.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(render(authorizer.JwtConfiguration.Issuer)).toBe(`<${poolId}.ProviderURL>`);
    expect(authorizer.JwtConfiguration.Audience.map(render)).toEqual([`<${clientId}>`]);
    const route = only(template, 'AWS::ApiGatewayV2::Route');
    expect(route.RouteKey).toBe('ANY /api/{proxy+}');
    expect(route.AuthorizationType).toBe('JWT');
    expect(render(route.AuthorizerId)).toBe(`<${logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', 'Dashboard')}>`);
  });

  it('writes config.json with the issuer, client id, scopes and the hosted UI endpoints', () => {
    expect(deployedConfig(synth)).toEqual({
      issuer: `<${poolId}.ProviderURL>`,
      clientId: `<${clientId}>`,
      scopes: ['openid', 'profile', 'email'],
      authorizationEndpoint: `https://<${domainId}>.auth.<AWS::Region>.amazoncognito.com/oauth2/authorize`,
      tokenEndpoint: `https://<${domainId}>.auth.<AWS::Region>.amazoncognito.com/oauth2/token`,
      endSessionEndpoint: `https://<${domainId}>.auth.<AWS::Region>.amazoncognito.com/logout`,
      redirectUri: `https://<${distributionId}.DomainName>/`,
      bearerToken: 'id_token',
      groupsClaim: 'cognito:groups',
      signInRequired: true,
    });
  });

  it('tells the api function which claim holds the groups', () => {
    const fn = resources(template)[logicalIdOf(template, 'AWS::Lambda::Function', 'DashboardApiHandler')].Properties as Cfn;
    expect(fn.Environment.Variables.DASHBOARD_GROUPS_CLAIM).toBe('cognito:groups');
  });

  it("gives the worker the dashboard's URL, for the links on check runs and deployments", () => {
    const worker = resources(template)[logicalIdOf(template, 'AWS::Lambda::Function', 'DriftlessSyncWorker')].Properties as Cfn;
    expect(render(worker.Environment.Variables.DASHBOARD_URL)).toBe(`https://<${distributionId}.DomainName>`);
  });

  it('outputs the dashboard URL, the user pool id and the client id', () => {
    const outputs = template.toJSON().Outputs as Record<string, Cfn>;
    const byValue = (value: string) => Object.entries(outputs).filter(([, output]) => render(output.Value) === value);
    expect(byValue(`https://<${distributionId}.DomainName>/`).map(([id]) => id)).toEqual(['DashboardUrl']);
    expect(byValue(`<${poolId}>`).map(([id]) => id)).toEqual(['DashboardUserPoolId']);
    expect(byValue(`<${clientId}>`).map(([id]) => id)).toEqual(['DashboardUserPoolClientId']);
  });
});

describe("dashboard: sign-in with the organisation's OIDC provider", () => {
  const synth = synthDashboard({ oidc: OKTA });
  const { template } = synth;

  it('creates no user pool', () => {
    for (const type of ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolDomain']) {
      expect(template.findResources(type), type).toEqual({});
    }
    expect(Object.keys(template.toJSON().Outputs).filter((id) => id.includes('UserPool'))).toEqual([]);
  });

  it('checks tokens of that issuer for the audience and the client id (ID tokens carry the client id)', () => {
    const authorizer = only(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.JwtConfiguration).toEqual({ Issuer: OKTA.issuer, Audience: ['api://driftless', '0oa1b2c3d4'] });
  });

  it('writes config.json for discovery at the issuer (no endpoints of its own) and the groups claim', () => {
    const distributionId = logicalIdOf(template, 'AWS::CloudFront::Distribution', 'DashboardSite');
    expect(deployedConfig(synth)).toEqual({
      issuer: OKTA.issuer,
      clientId: '0oa1b2c3d4',
      scopes: ['openid', 'profile', 'email'],
      redirectUri: `https://<${distributionId}.DomainName>/`,
      bearerToken: 'id_token',
      groupsClaim: 'groups',
      signInRequired: true,
    });
    const fn = resources(template)[logicalIdOf(template, 'AWS::Lambda::Function', 'DashboardApiHandler')].Properties as Cfn;
    expect(fn.Environment.Variables.DASHBOARD_GROUPS_CLAIM).toBe('groups');
  });

  it('takes the audience as the client id when no client id is given', () => {
    const google = synthDashboard({ oidc: { issuer: 'https://accounts.google.com', audience: '1234.apps.googleusercontent.com' } }).template;
    expect(only(google, 'AWS::ApiGatewayV2::Authorizer').JwtConfiguration).toEqual({
      Issuer: 'https://accounts.google.com',
      Audience: ['1234.apps.googleusercontent.com'],
    });
  });
});

describe('dashboard: the HTTP API and the api function', () => {
  const { template } = synthDashboard({}, { clusters: [{ name: 'dev', namespaces: ['apps'] }] });
  const statements = iamStatements(template.toJSON() as never);

  function label(resource: string): string {
    const rules: Array<[RegExp, string]> = [
      [/^\*$/, '*'],
      [/^<DriftlessStateTable\w+\.Arn>$/, 'table'],
      [/^<DriftlessSyncJobs\w+\.Arn>$/, 'jobs queue'],
      [/^<DriftlessRenderCacheBucket\w+\.Arn>$/, 'render bucket'],
      [/^<DriftlessRenderCacheBucket\w+\.Arn>\/renders\/\*$/, 'render objects'],
      [/^<DashboardApiHandlerLogs[0-9A-F]{8}\.Arn>$/, 'api log group'],
      [/^<GitHubSecret\w+>$/, 'github secret'],
      [/^arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:cluster\/dev$/, 'cluster dev'],
    ];
    return rules.find(([pattern]) => pattern.test(resource))?.[1] ?? resource;
  }

  it('lets the function read the table, write only target and rollout items, scan for the fleet, send jobs, read renders, describe the cluster and read the GitHub credentials', () => {
    expect(permissionsOf(statements, 'DashboardApiHandlerRole', label)).toEqual({
      'logs:CreateLogStream': ['api log group'],
      'logs:PutLogEvents': ['api log group'],
      'xray:PutTraceSegments': ['*'],
      'xray:PutTelemetryRecords': ['*'],
      'dynamodb:GetItem': ['table'],
      'dynamodb:BatchGetItem': ['table'],
      'dynamodb:Query': ['table'],
      'dynamodb:ConditionCheckItem': ['table'],
      'dynamodb:DescribeTable': ['table'],
      'dynamodb:Scan': ['table'],
      'dynamodb:PutItem': ['table'],
      'dynamodb:UpdateItem': ['table'],
      'dynamodb:DeleteItem': ['table'],
      'dynamodb:BatchWriteItem': ['table'],
      'sqs:SendMessage': ['jobs queue'],
      's3:ListBucket': ['render bucket'],
      's3:GetObject': ['render objects'],
      'eks:DescribeCluster': ['cluster dev'],
      'secretsmanager:GetSecretValue': ['github secret'],
      'secretsmanager:DescribeSecret': ['github secret'],
    });
  });

  it('bounds its table writes to target items and whole rollout items, and its keyed reads to the registry, targets and rollouts', () => {
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: Cfn) =>
      render(p.Properties.Roles[0]).includes('DashboardApiHandlerRole'),
    ) as Cfn;
    // Every statement naming the action, each with its LeadingKeys (none: the statement has no key condition).
    const keyed = (action: string) =>
      (policy.Properties.PolicyDocument.Statement as Cfn[])
        .filter((statement) => [statement.Action].flat().includes(action))
        .map((statement) => statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? 'no key condition');
    // Promote and abort replace the set's rollout item (pk ROLLOUT) under its version: PutItem, nothing else on it.
    expect(keyed('dynamodb:PutItem')).toEqual([['TARGET#*'], ['ROLLOUT']]);
    expect(keyed('dynamodb:UpdateItem')).toEqual([['TARGET#*']]);
    expect(keyed('dynamodb:DeleteItem')).toEqual([['TARGET#*']]);
    expect(keyed('dynamodb:BatchWriteItem')).toEqual([['TARGET#*']]);
    // The fleet's rollout progress is one Query of the ROLLOUT partition; promote / abort read the item first.
    expect(keyed('dynamodb:GetItem')).toEqual([['REGISTRY', 'TARGET#*', 'ROLLOUT']]);
    expect(keyed('dynamodb:Query')).toEqual([['REGISTRY', 'TARGET#*', 'ROLLOUT']]);
  });

  it('reads the GitHub credentials (sync and resume resolve the branch head, as the CLI does), never the webhook key, and assumes no role', () => {
    const mine = statements.filter((statement) => statement.roles.some((role) => role.includes('DashboardApiHandlerRole')));
    const secrets = mine.filter((statement) => statement.actions.some((action) => action.startsWith('secretsmanager:')));
    expect(secrets.flatMap((statement) => statement.actions).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(secrets.flatMap((statement) => statement.resources)).toEqual([expect.stringMatching(/^<GitHubSecret\w+>$/)]);
    expect(mine.flatMap((statement) => statement.actions).filter((action) => action.startsWith('sts:'))).toEqual([]);
    const fn = resources(template)[logicalIdOf(template, 'AWS::Lambda::Function', 'DashboardApiHandler')].Properties as Cfn;
    expect(Object.keys(fn.Environment.Variables)).toContain('GITHUB_SECRET_ARN');
    expect(Object.keys(fn.Environment.Variables)).not.toContain('WEBHOOK_SECRET_ARN');
  });

  it('reads clusters with the view policy at the worker’s scope, never with the worker’s admin policies', () => {
    const synthesized = synthDashboard(
      {},
      {
        clusters: [
          { name: 'dev', namespaces: ['apps'] },
          { name: 'ops', access: 'cluster-admin' },
          { name: 'prod', account: '210987654321', region: 'eu-west-1', roleArn: 'arn:aws:iam::210987654321:role/deployer' },
        ],
      },
    ).template;
    const entries = Object.values(synthesized.findResources('AWS::EKS::AccessEntry'))
      .map((entry: Cfn) => entry.Properties)
      .filter((entry: Cfn) => render(entry.PrincipalArn).includes('DashboardApiHandlerRole'));
    const shown = entries.map((entry: Cfn) => ({
      cluster: entry.ClusterName,
      policies: entry.AccessPolicies.map((policy: Cfn) => ({ policy: render(policy.PolicyArn).split('/').pop(), scope: policy.AccessScope })),
    }));
    expect(shown).toEqual([
      { cluster: 'dev', policies: [{ policy: 'AmazonEKSViewPolicy', scope: { Type: 'namespace', Namespaces: ['apps'] } }] },
      { cluster: 'ops', policies: [{ policy: 'AmazonEKSViewPolicy', scope: { Type: 'cluster' } }] },
    ]);
    // The prod cluster is reached through a role that writes: the API does not assume it.
    const api = iamStatements(synthesized.toJSON() as never).filter((statement) => statement.roles.some((role) => role.includes('DashboardApiHandlerRole')));
    expect(api.flatMap((statement) => statement.actions)).not.toContain('sts:AssumeRole');
  });

  it('uses the customer managed key when the stack has one, for data only', () => {
    const withKey = synthDashboard({}, { customerManagedKey: true }).template;
    const api = permissionsOf(iamStatements(withKey.toJSON() as never), 'DashboardApiHandlerRole', (resource) =>
      resource.replace(/^<DriftlessKey\w+\.Arn>$/, 'key'),
    );
    expect(Object.keys(api).filter((action) => action.startsWith('kms:'))).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(api['kms:Decrypt']).toEqual(['key']);
  });

  it('throttles the stage and writes JSON access logs without tokens or e-mail addresses', () => {
    const stage = only(template, 'AWS::ApiGatewayV2::Stage');
    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
    expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    const logGroup = logicalIdOf(template, 'AWS::Logs::LogGroup', 'DashboardApiAccessLogs');
    expect(render(stage.AccessLogSettings.DestinationArn)).toBe(`<${logGroup}.Arn>`);
    const format = JSON.parse(stage.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', sub: '$context.authorizer.claims.sub' });
    expect(stage.AccessLogSettings.Format).not.toMatch(/email|authorization|header/i);
    const tuned = only(synthDashboard({ rateLimit: 5, burstLimit: 10 }).template, 'AWS::ApiGatewayV2::Stage');
    expect(tuned.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 });
  });

  it('needs no CORS: the UI calls the API on its own origin', () => {
    expect(only(template, 'AWS::ApiGatewayV2::Api').CorsConfiguration).toBeUndefined();
  });

  it('invokes the function through its live alias, within API Gateway’s 30 seconds', () => {
    const integration = only(template, 'AWS::ApiGatewayV2::Integration');
    expect(render(integration.IntegrationUri)).toBe(`<${logicalIdOf(template, 'AWS::Lambda::Alias', 'DashboardApiHandler')}>`);
    expect(integration.PayloadFormatVersion).toBe('2.0');
    const fn = resources(template)[logicalIdOf(template, 'AWS::Lambda::Function', 'DashboardApiHandler')].Properties as Cfn;
    expect(fn.Timeout).toBeLessThan(30);
  });

  it("alarms on the API's 5xx answers through the stack's alarm topic", () => {
    const apiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', 'DashboardApi');
    const topic = logicalIdOf(template, 'AWS::SNS::Topic', 'AlarmTopic');
    const alarm = resources(template)[logicalIdOf(template, 'AWS::CloudWatch::Alarm', 'DashboardApiServerErrors')].Properties as Cfn;
    expect(alarm).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5xx', Statistic: 'Sum', Period: 300, Threshold: 0 });
    expect(alarm.Dimensions.map((dimension: Cfn) => `${dimension.Name}=${render(dimension.Value)}`)).toEqual([`ApiId=<${apiId}>`]);
    expect(alarm.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(alarm.TreatMissingData).toBe('notBreaching');
    expect(alarm.AlarmActions.map(render)).toEqual([`<${topic}>`]);
    expect(alarm.OKActions.map(render)).toEqual([`<${topic}>`]);
  });

  it("counts its costs in the stack's budget", () => {
    const withBudget = synthDashboard({}, { monthlyBudgetUsd: 50, alarmEmail: 'ops@example.com' }).template;
    const filter = only(withBudget, 'AWS::Budgets::Budget').Budget.CostFilters.TagKeyValue as string[];
    expect(filter).toContain('user:driftless:component$dashboard');
    expect(filter).toContain('user:driftless:component$sync');
    expect(new Set(filter).size).toBe(filter.length);
  });

  it('tags everything it creates as the dashboard component', () => {
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0] as Cfn;
    expect(distribution.Properties.Tags).toContainEqual({ Key: 'driftless:component', Value: 'dashboard' });
    const fnProps = resources(template)[logicalIdOf(template, 'AWS::Lambda::Function', 'DashboardApiHandler')].Properties as Cfn;
    expect(fnProps.Tags).toContainEqual({ Key: 'driftless:component', Value: 'dashboard' });
  });
});

describe("dashboard: the stack's own settings", () => {
  it('retains the user pool (it holds the users) with deletion protection, unless the stack is destroy', () => {
    const pool = (template: Cfn) => Object.values(template.findResources('AWS::Cognito::UserPool'))[0] as Cfn;
    expect(pool(synthDashboard({}).template)).toMatchObject({ DeletionPolicy: 'Retain', Properties: { DeletionProtection: 'ACTIVE' } });
    expect(pool(synthDashboard({}, { removalPolicy: 'destroy' }).template)).toMatchObject({
      DeletionPolicy: 'Delete',
      Properties: { DeletionProtection: 'INACTIVE' },
    });
  });

  it('gives the api function the stack’s log retention, architecture and extra environment', () => {
    const { template } = synthDashboard({}, { logRetentionDays: 90, architecture: 'x86_64', functionEnvironment: { OTEL_SERVICE_NAME: 'gitops' } });
    const fn = resources(template)[logicalIdOf(template, 'AWS::Lambda::Function', 'DashboardApiHandler')].Properties as Cfn;
    expect(fn.Architectures).toEqual(['x86_64']);
    expect(fn.Environment.Variables.OTEL_SERVICE_NAME).toBe('gitops');
    const retention = (fragment: string) => (resources(template)[logicalIdOf(template, 'AWS::Logs::LogGroup', fragment)].Properties as Cfn).RetentionInDays;
    expect(retention('DashboardApiHandlerLogs')).toBe(90);
    expect(retention('DashboardApiAccessLogs')).toBe(90);
  });

  it('takes the key as -c gives it, a JSON string', () => {
    const { template } = synthDashboard(JSON.stringify({ assetsDir: builtAssets(), oidc: { issuer: 'https://accounts.google.com', audience: 'web.apps' } }));
    expect(only(template, 'AWS::ApiGatewayV2::Authorizer').JwtConfiguration.Issuer).toBe('https://accounts.google.com');
  });
});

describe('dashboard: the stack without a stub entry', () => {
  it('defaults the api function to functions/api/handler.ts', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const { api: _api, ...withoutApi } = DASHBOARD_ENTRIES;
    const build = () =>
      new DriftlessStack(app, 'Driftless', {
        settings: { configRepoUrl: 'https://github.com/acme/config', clusters: [], dashboard: { assetsDir: builtAssets() } },
        entries: withoutApi,
      });
    // The API helper's handler may not be there yet: then the missing entry is the one named.
    if (existsSync(new URL('../../functions/api/handler.ts', import.meta.url))) expect(build).not.toThrow();
    else expect(build).toThrow(/functions\/api\/handler\.ts/);
  });
});
