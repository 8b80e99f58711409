// Where the browser goes: one CloudFront distribution serving the built UI from a private
// bucket (Origin Access Control) and `/api/*` from the HTTP API, so the UI and its API share an
// origin and no CORS is needed. Assets and the UI's sign-in settings (`config.json`) are deployed
// with the stack.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, DefaultStackSynthesizer, DockerImage, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { REPO_ROOT } from './driftless-function.ts';

/** The UI's sources (the Vite root). */
export const DASHBOARD_SOURCE_DIR = join(REPO_ROOT, 'functions/api/web');
/** Where `npm run build:dashboard` (local/dashboard-assets.ts) leaves the built UI. */
export const DEFAULT_ASSETS_DIR = join(REPO_ROOT, 'node_modules/.cache/driftless/dashboard');

/**
 * Builds the UI with `npm run build:dashboard` (fast when the build is newer than the sources)
 * and copies it into `outputDir`. Its output goes to stderr: a CDK app's stdout is the CLI's.
 */
export function buildDashboardInto(outputDir: string, options: { cwd?: string; builtDir?: string } = {}): void {
  const cwd = options.cwd ?? REPO_ROOT;
  const built = options.builtDir ?? DEFAULT_ASSETS_DIR;
  const run = spawnSync('npm', ['run', '--silent', 'build:dashboard'], { cwd, stdio: ['ignore', process.stderr, 'inherit'] });
  if (run.error || run.status !== 0) {
    const why = run.error ? run.error.message : `exit ${run.status ?? run.signal}`;
    throw new Error(`dashboard: \`npm run build:dashboard\` in ${cwd} failed (${why}); fix the UI build, or set dashboard.assetsDir to a built folder.`);
  }
  if (!existsSync(join(built, 'index.html'))) {
    throw new Error(`dashboard: \`npm run build:dashboard\` left no index.html in ${built}; set dashboard.assetsDir to a built folder.`);
  }
  cpSync(built, outputDir, { recursive: true });
}

export interface DashboardSiteProps {
  /** The HTTP API's domain (`<id>.execute-api.<region>.amazonaws.com`). */
  readonly apiDomainName: string;
  /** A built UI to deploy as it is: a folder with `index.html`. Default: built at synth (buildDashboardInto). */
  readonly assetsDir?: string;
  /** A domain of yours, with its certificate (ACM, us-east-1). Default: the distribution's `*.cloudfront.net` name. */
  readonly domainName?: string;
  readonly certificateArn?: string;
  /** What a stack deletion does to the access logs. Default RETAIN. The assets bucket always goes (it is rebuilt from the repository). */
  readonly removalPolicy?: RemovalPolicy;
  readonly logRetention?: logs.RetentionDays;
}

// Paths without a file extension are the UI's own routes (`/apps/shop`): the SPA answers them.
// Done on the viewer request of the assets only, not with the distribution's custom error
// responses, which would also turn the API's own 403 and 404 answers into index.html.
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

// The UI is one origin: scripts, styles and API calls from it alone, the sign-in provider's
// token endpoint over https, no frames, no plugins.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' https:",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self' https:",
].join('; ');

/**
 * A given folder as it is; by default the UI built at synth, as CDK bundles a function: skipped
 * where bundling is (`aws:cdk:bundling-stacks`, the infra tests), hashed by its output so an
 * unchanged build deploys nothing. Never in Docker: a failed build stops the synth.
 */
function assetsSource(assetsDir: string | undefined): s3deploy.ISource {
  if (assetsDir !== undefined) {
    if (!existsSync(join(assetsDir, 'index.html'))) {
      throw new Error(`dashboard.assetsDir: no built UI at ${assetsDir} (index.html is missing); give the folder \`npm run build:dashboard\` fills.`);
    }
    return s3deploy.Source.asset(assetsDir);
  }
  return s3deploy.Source.asset(DASHBOARD_SOURCE_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          buildDashboardInto(outputDir);
          return true;
        },
      },
    },
  });
}

export class DashboardSite extends Construct {
  declare readonly bucket: s3.Bucket;
  declare readonly logBucket: s3.Bucket;
  declare readonly distribution: cloudfront.Distribution;
  /** `https://<domain>` without a trailing slash. */
  declare readonly url: string;
  readonly #assets: s3deploy.ISource;
  readonly #logRetention: logs.RetentionDays | undefined;

  constructor(scope: Construct, id: string, props: DashboardSiteProps) {
    super(scope, id);
    this.#assets = assetsSource(props.assetsDir);
    this.#logRetention = props.logRetention;

    // CloudFront's standard logs: they need ACLs on their bucket (CloudFront writes with one).
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "This bucket receives the dashboard distribution's access logs; logging the log bucket would log its own writes.",
    });

    this.bucket = new s3.Bucket(this, 'Assets', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // The build output of this repository: rebuilt and redeployed, never edited in place. It
      // goes with the stack: the deployment empties it first (retainOnDelete false).
      versioned: false,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the dashboard distribution reads this bucket (Origin Access Control); its access logs record every request, ' +
        'so server access logs would repeat them. The objects are the UI build, redeployed by the stack.',
    });

    const certificate = props.certificateArn ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn) : undefined;
    const securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Driftless dashboard: HSTS, CSP, no sniffing, no framing',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });
    const spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Driftless dashboard: UI routes (no file extension) answer index.html',
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Driftless dashboard',
      defaultRootObject: 'index.html',
      domainNames: props.domainName ? [props.domainName] : undefined,
      certificate,
      // Only with a certificate of ours: CloudFront's default one has a fixed policy.
      minimumProtocolVersion: certificate ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        compress: true,
        functionAssociations: [{ function: spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        'api/*': {
          origin: new origins.HttpOrigin(props.apiDomainName, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Never cached: every answer depends on the caller's token. With caching off, the
          // AllViewerExceptHostHeader policy forwards Authorization (and If-None-Match, for the
          // fleet's 304s); the Host header must stay the API's own for API Gateway to route it.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: securityHeaders,
        },
      },
    });
    this.url = `https://${props.domainName ?? this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Operators sign in from wherever they work; every page of data needs a token, so a country block adds nothing.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Every API route requires a valid token (the JWT authorizer rejects the rest before the function runs) and the API is throttled; ' +
        'the assets are public build output. A web ACL (from 5 USD a month) is an addition for whoever wants rate rules at the edge.',
    });
    if (!certificate) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          "Without a domain of its own the distribution uses CloudFront's *.cloudfront.net certificate, whose security policy CloudFront fixes; " +
          'set dashboard.domainName and dashboard.certificateArn to enforce TLSv1.2_2021.',
      });
    }
  }

  /**
   * Deploys the built UI with `config.json` beside it (the sign-in settings the UI reads at run
   * time), replacing what an earlier deploy left, and invalidates the distribution's cache.
   */
  deploy(config: Record<string, unknown>): s3deploy.BucketDeployment {
    // Our own role and log group: the default role carries AWSLambdaBasicExecutionRole.
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', { retention: this.#logRetention ?? logs.RetentionDays.ONE_MONTH });
    const role = new iam.Role(this, 'DeploymentRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Driftless dashboard: copies the built UI into its bucket and invalidates the distribution',
    });
    logGroup.grantWrite(role);
    const deployment = new s3deploy.BucketDeployment(this, 'Deployment', {
      sources: [this.#assets, s3deploy.Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      // Browsers revalidate every file (a 304 is cheap); a deploy is then seen at the next load.
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      // The bucket is ours alone: deleting the stack empties it, so CloudFormation can delete it.
      retainOnDelete: false,
      role,
      logGroup,
      memoryLimit: 256,
    });
    this.#acknowledgeDeploymentGrants(role);
    // CDK's one deployment function per stack (and memory size), a sibling of the stacks' constructs.
    for (const child of Stack.of(this).node.children) {
      if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
        Validations.of(child).acknowledge({
          id: 'AwsSolutions-L1',
          reason: "CDK's BucketDeployment handler: its Python runtime is chosen and bumped by aws-cdk-lib, not by this stack; it runs only during deploys.",
        });
      }
    }
    return deployment;
  }

  // What BucketDeployment grants its handler: read the staged zip in CDK's asset bucket, write
  // and prune the assets bucket's objects, invalidate the distribution.
  #acknowledgeDeploymentGrants(role: iam.Role): void {
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    const reasons: Record<string, string> = {
      'Action::s3:GetObject*': "BucketDeployment reads the staged zip from CDK's asset bucket (GetObject and its variants).",
      'Action::s3:GetBucket*': "BucketDeployment reads the asset bucket's location and settings before copying.",
      'Action::s3:List*': 'BucketDeployment lists the assets bucket to prune files an earlier build left.',
      'Action::s3:DeleteObject*': 'Pruning removes files an earlier build left in the assets bucket, which holds nothing else.',
      'Action::s3:Abort*': 'A large upload is multipart; an interrupted one is aborted.',
      [`Resource::${bootstrapAssetObjects(Stack.of(this))}`]:
        "The staged zip's key is a content hash in CDK's bootstrap asset bucket; read access is confined to that bucket.",
      [`Resource::<${bucketId}.Arn>/*`]: 'The file names come from the build (content-hashed); the grant is confined to objects of the assets bucket.',
      'Resource::*': 'cloudfront:CreateInvalidation and GetInvalidation for the deployment custom resource, granted by CDK on every distribution.',
    };
    for (const [finding, reason] of Object.entries(reasons)) Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
}

/**
 * The objects of CDK's bootstrap asset bucket as cdk-nag names them in a finding: the default
 * synthesizer's bucket (`cdk-<qualifier>-assets-<account>-<region>`), with the account and
 * region literal when the stack's environment says them.
 */
function bootstrapAssetObjects(stack: Stack): string {
  const qualifier = (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
  return `arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${shown(stack.account, 'AccountId')}-${shown(stack.region, 'Region')}/*`;
}
