// The stack `npx cdk deploy` deploys: the Driftless construct configured from CDK context.
import { CfnOutput, Duration, Tags, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { COMPONENT_TAG } from './constructs/budget.ts';
import { Dashboard, dashboardProps } from './constructs/dashboard.ts';
import { Notifications } from './constructs/notifications.ts';
import { retainedSecret } from './constructs/retained-secret.ts';
import type { WorkerNetworkProps } from './constructs/network.ts';
import { readDriftlessContext, type DriftlessContext, type VpcContext } from './context.ts';
import { Driftless, type HandlerEntries } from './driftless.ts';

export interface DriftlessStackProps extends StackProps {
  /** Default: read from CDK context. */
  readonly settings?: DriftlessContext;
  /** Default: the handlers under `functions/`. */
  readonly entries?: HandlerEntries;
}

export const GITHUB_SECRET_NAME = 'driftless/github';
export const WEBHOOK_SECRET_NAME = 'driftless/webhook';

export class DriftlessStack extends Stack {
  declare readonly driftless: Driftless;
  declare readonly githubSecret: secretsmanager.ISecret;
  declare readonly webhookSecret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: DriftlessStackProps = {}) {
    super(scope, id, {
      description: 'Driftless: serverless GitOps for Amazon EKS',
      ...props,
    });
    const settings = props.settings ?? readDriftlessContext(this.node);

    this.githubSecret = settings.githubSecretArn ? importSecret(this, 'GitHubSecret', settings.githubSecretArn) : createPlaceholderSecret(this);
    this.webhookSecret = settings.webhookSecretArn ? importSecret(this, 'WebhookSecret', settings.webhookSecretArn) : createWebhookSecret(this);

    this.driftless = new Driftless(this, 'Driftless', {
      github: { secret: this.githubSecret, webhookSecret: this.webhookSecret },
      configRepository: {
        url: settings.configRepoUrl,
        branch: settings.configRepoBranch,
        dir: settings.configDir,
      },
      clusters: settings.clusters,
      projects: settings.projects,
      sops: { kmsKeyArns: settings.sopsKmsKeys, ageSecret: settings.sopsAge },
      driftSchedule: settings.driftScheduleMinutes ? Duration.minutes(settings.driftScheduleMinutes) : undefined,
      logRetention: settings.logRetentionDays ? retentionDays(settings.logRetentionDays) : undefined,
      alarmTopic: settings.alarmTopicArn ? sns.Topic.fromTopicArn(this, 'AlarmTopic', settings.alarmTopicArn) : undefined,
      alarmEmail: settings.alarmEmail,
      maxConcurrency: settings.maxConcurrency,
      webhookConcurrency: settings.webhookConcurrency,
      network: settings.vpc ? importNetwork(this, settings.vpc) : undefined,
      monthlyBudgetUsd: settings.monthlyBudgetUsd,
      workerMemory: settings.workerMemory,
      workerBatchSize: settings.workerBatchSize,
      removalPolicy: settings.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : undefined,
      functionEnvironment: settings.functionEnvironment,
      architecture:
        settings.architecture === 'x86_64' ? lambda.Architecture.X86_64 : settings.architecture === 'arm64' ? lambda.Architecture.ARM_64 : undefined,
      customerManagedKey: settings.customerManagedKey,
      encryptionKey: settings.encryptionKeyArn ? kms.Key.fromKeyArn(this, 'EncryptionKey', settings.encryptionKeyArn) : undefined,
      entries: props.entries,
    });

    // README "Dashboard in AWS": only with the `dashboard` context key.
    if (settings.dashboard) {
      new Dashboard(this, 'Dashboard', {
        ...dashboardProps(settings.dashboard),
        driftless: this.driftless,
        entry: props.entries?.api,
        logRetention: settings.logRetentionDays ? retentionDays(settings.logRetentionDays) : undefined,
        architecture: settings.architecture === 'x86_64' ? lambda.Architecture.X86_64 : undefined,
        removalPolicy: settings.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : undefined,
        functionEnvironment: settings.functionEnvironment,
      });
    }

    // README "Notifications": only with the `notifications` context key.
    if (settings.notifications) new Notifications(this, 'Notifications', { bus: this.driftless.events.bus, destinations: settings.notifications.destinations });

    // The secrets live beside the construct, not in it: tagged with its GitHub connection.
    for (const secret of [this.githubSecret, this.webhookSecret]) Tags.of(secret).add(COMPONENT_TAG, 'github');

    new CfnOutput(this, 'GitHubSecretArn', {
      value: this.githubSecret.secretArn,
      description: 'Secret with the GitHub credentials: { token } or { appId, privateKey, installationId }',
    });
    new CfnOutput(this, 'WebhookSecretArn', {
      value: this.webhookSecret.secretArn,
      description: "Secret with { webhookSecret }: paste its value into the GitHub webhook's Secret field",
    });
    // The `driftless` CLI (cli/ops/endpoints.ts) finds the backend by these output names.
    new CfnOutput(this, 'StateTableName', {
      value: this.driftless.stateStore.table.tableName,
      description: 'DynamoDB table with the registry, target states and sync history',
    });
    new CfnOutput(this, 'SyncQueueUrl', {
      value: this.driftless.syncPipeline.queue.queueUrl,
      description: 'SQS FIFO queue of sync jobs (driftless sync / rollback enqueue here)',
    });
    // Cross-account clusters trust this role (by aws:PrincipalArn, see the README), and a
    // cluster owner maps it with an access entry.
    new CfnOutput(this, 'WorkerRoleArn', {
      value: this.driftless.syncPipeline.worker.role.roleArn,
      description: 'IAM role of the sync worker, the one function that reaches clusters',
    });
    new CfnOutput(this, 'RenderBucketName', {
      value: this.driftless.renderCache.bucket.bucketName,
      description: 'S3 bucket caching rendered manifests',
    });
  }
}

// The VPC is the user's: imported by id, its subnets named with what endpoints and Lambda need,
// so synth needs no AWS lookup.
function importNetwork(scope: Construct, vpc: VpcContext): WorkerNetworkProps {
  const subnets = vpc.subnets.map((subnet) => ec2.Subnet.fromSubnetAttributes(scope, `Subnet-${subnet.subnetId}`, subnet));
  return {
    vpc: ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
      vpcId: vpc.vpcId,
      availabilityZones: [...new Set(vpc.subnets.map((subnet) => subnet.availabilityZone))],
    }),
    subnets: { subnets },
    securityGroups: vpc.securityGroupIds?.map((id) => ec2.SecurityGroup.fromSecurityGroupId(scope, `SecurityGroup-${id}`, id)),
    createEndpoints: vpc.createEndpoints,
    clusterSecurityGroupIds: vpc.clusterSecurityGroupIds,
    httpsProxy: vpc.httpsProxy,
  };
}

function importSecret(scope: Construct, id: string, arnOrName: string): secretsmanager.ISecret {
  if (!arnOrName.startsWith('arn:')) return secretsmanager.Secret.fromSecretNameV2(scope, id, arnOrName);
  // A complete ARN ends with the 6 random characters Secrets Manager appends to the name.
  return /-[A-Za-z0-9]{6}$/.test(arnOrName)
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, id, arnOrName)
    : secretsmanager.Secret.fromSecretPartialArn(scope, id, arnOrName);
}

// A first deploy without secrets still works: the token or App credentials are filled in
// afterwards. The placeholder holds no secret value (an empty token), so it is written as is.
// The credentials put in by hand outlive the stack.
function createPlaceholderSecret(scope: Construct): secretsmanager.Secret {
  return retainedSecret(
    scope,
    'GitHubSecret',
    {
      secretName: GITHUB_SECRET_NAME,
      description: 'Driftless GitHub credentials: set "token" (or appId, privateKey, installationId) in this JSON',
      secretObjectValue: { token: SecretValue.unsafePlainText('') },
    },
    'Holds GitHub credentials that only GitHub can rotate (a token or an App private key); a rotation Lambda cannot issue new ones.',
  );
}

// The webhook's HMAC key, generated here: paste it into GitHub's webhook form. CloudFormation
// generates the value once, at creation; it regenerates it only if this resource were
// replaced, which the logical-id test (test/infra/stateful-ids.test.ts) guards against.
// Retained, so a deleted stack does not take GitHub's secret with it.
function createWebhookSecret(scope: Construct): secretsmanager.Secret {
  return retainedSecret(
    scope,
    'WebhookSecret',
    {
      secretName: WEBHOOK_SECRET_NAME,
      description: "Driftless webhook secret: the value of webhookSecret goes into the GitHub webhook's Secret field",
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'webhookSecret',
        excludePunctuation: true,
        passwordLength: 48,
      },
    },
    'The webhook secret is shared with GitHub, which cannot be told a new one by a rotation Lambda; rotate it by hand on both sides.',
  );
}

function retentionDays(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter((value): value is number => typeof value === 'number');
  if (!allowed.includes(days)) {
    throw new Error(`logRetentionDays must be one of CloudWatch's values (${allowed.join(', ')}), got ${days}.`);
  }
  return days as logs.RetentionDays;
}
