// Every Driftless Lambda is built here, so runtime, bundling, logging and tracing are decided
// once and no stack repeats them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root: bundling resolves `functions/` and `shared/` from here, whatever the cwd. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Powertools `service` value of every function; it is also the dimension our metrics carry. */
export const SERVICE_NAME = 'driftless';

/** CloudWatch namespace the handlers write their EMF metrics to. */
export const METRICS_NAMESPACE = 'Driftless';

// Aliased: a bundled module that imports `createRequire` itself would otherwise collide with
// the banner's import. The banner exists because some dependencies are CommonJS and call
// `require`, which an ES module bundle does not define.
const ESM_REQUIRE_BANNER = "import { createRequire as __driftlessCreateRequire } from 'module'; const require = __driftlessCreateRequire(import.meta.url);";

/** The alias every trigger invokes. */
const LIVE_ALIAS = 'live';

export interface DriftlessFunctionProps {
  /** Handler file relative to the repository root, e.g. `functions/webhook/handler.ts`. */
  readonly entry: string;
  readonly description: string;
  /** Defaults to ARM_64 (cheaper per GB-second); functions that carry x86-64 binaries pass X86_64. */
  readonly architecture?: lambda.Architecture;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly ephemeralStorageSize?: Size;
  readonly layers?: lambda.ILayerVersion[];
  readonly logRetention?: logs.RetentionDays;
  readonly environment?: Record<string, string>;
  /** Concurrent executions set aside for (and the ceiling of) this function; none by default. */
  readonly reservedConcurrentExecutions?: number;
  /** Runs the function in this VPC (WorkerNetwork decides subnets and groups); none by default. */
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/**
 * A NodejsFunction with our defaults, its own role and its own log group. Access is added
 * afterwards with the `bind` helpers of the resources it uses, never here.
 */
export class DriftlessFunction extends Construct implements iam.IGrantable {
  declare readonly fn: NodejsFunction;
  /**
   * `live`: the version every trigger invokes (event source, Function URL, schedule). Each deploy
   * publishes a new version and moves the alias to it; a bad release is rolled back by moving
   * the alias back (`aws lambda update-alias --name live --function-version <previous>`), which
   * needs no build. Earlier versions are retained for that.
   */
  declare readonly alias: lambda.Alias;
  declare readonly role: iam.Role;
  declare readonly logGroup: logs.LogGroup;
  declare readonly grantPrincipal: iam.IPrincipal;
  /** The variables Driftless itself sets, which extra environment may not replace. */
  readonly #ownEnvironment = new Set<string>();

  constructor(scope: Construct, id: string, props: DriftlessFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });

    // Our own role instead of the default one: the default attaches the managed
    // AWSLambdaBasicExecutionRole, whose logs permissions cover every log group in the account.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Driftless ${id}: ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);

    const lockFile = join(REPO_ROOT, 'package-lock.json');
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 1024,
      ephemeralStorageSize: props.ephemeralStorageSize,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups: props.vpc ? props.securityGroups : undefined,
      layers: props.layers,
      role: this.role,
      logGroup: this.logGroup,
      // A deploy publishes a version under a new logical id; CloudFormation would delete the
      // old one, which is exactly what a rollback of the `live` alias moves back to.
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
      tracing: lambda.Tracing.ACTIVE,
      // Lambda's own lines (START, REPORT, timeouts) as JSON beside Powertools' JSON, each with
      // a level, so one query reads both and DEBUG lines never reach a production log.
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      projectRoot: REPO_ROOT,
      // Embedded in another CDK app, the package may come without its lock file; CDK then
      // finds the consumer's own.
      depsLockFilePath: existsSync(lockFile) ? lockFile : undefined,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        sourceMap: true,
        // Stack traces need names and lines, not the sources: keeps the zip small.
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        // The AWS SDK is bundled, not taken from the runtime: the clients we test against
        // locally are the ones that run in Lambda, whatever SDK version the runtime ships.
        externalModules: [],
        bundleAwsSDK: true,
      },
    });
    this.grantPrincipal = this.role;
    for (const key of ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', ...Object.keys(props.environment ?? {})])
      this.#ownEnvironment.add(key);
    this.alias = new lambda.Alias(this, 'Live', { aliasName: LIVE_ALIAS, version: this.fn.currentVersion });

    // With our own role CDK adds no AWSLambdaVPCAccessExecutionRole: Lambda manages the VPC
    // function's network interfaces with this role, so it gets that managed policy's actions.
    if (props.vpc) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }

    // Active tracing makes CDK add xray:PutTraceSegments/PutTelemetryRecords, which do not
    // support resource-level permissions: AWS requires Resource "*" for them.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: props.vpc
        ? 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions; AWS requires "*". The network-interface actions Lambda performs for a VPC function take "*" as in AWSLambdaVPCAccessExecutionRole.'
        : 'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions; AWS requires "*".',
    });
  }

  /** Sets an environment variable; the bind helpers call this with the name of what they grant. */
  addEnvironment(key: string, value: string): void {
    this.#ownEnvironment.add(key);
    this.fn.addEnvironment(key, value);
  }

  /**
   * A user's own variables (an APM agent's settings, proxies): added last, refused when they
   * would replace one Driftless sets or one Lambda reserves, since the function would then read
   * another table, queue or secret than the one it was granted.
   */
  addExtraEnvironment(variables: Record<string, string>): void {
    for (const [key, value] of Object.entries(variables)) {
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) throw new Error(`functionEnvironment: "${key}" is not an environment variable name (letters, digits, _).`);
      if (this.#ownEnvironment.has(key) || key.startsWith('AWS_') || key === 'LAMBDA_TASK_ROOT' || key === '_HANDLER') {
        throw new Error(`functionEnvironment: ${key} is set by Driftless or reserved by Lambda on ${this.node.path}; choose another name.`);
      }
      this.fn.addEnvironment(key, value);
    }
  }

  /** Adds one least-privilege statement to the function's own role. */
  allow(actions: string[], resources: string[]): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
  }
}
